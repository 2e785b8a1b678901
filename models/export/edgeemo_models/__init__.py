"""EdgeEmotion model definitions (our own code, written from the recipe facts in docs/model-card.md).

Every module here is export-friendly: static shapes, batch 1, no fused attention kernels, no
aten ops the torch 1.13 ONNX exporter lacks at opset 17.
"""

from .video import R2Plus1D18, R3D18
from .audio import AudioResNet18
from .eda import EdaCnn1d
from .fusion import (
    Attention,
    EncoderLayer,
    JointMultimodalTransformer,
    AffectFusion,
    PainFusion,
)
from .frontend import LogMelFrontend

__all__ = [
    "R2Plus1D18",
    "R3D18",
    "AudioResNet18",
    "EdaCnn1d",
    "Attention",
    "EncoderLayer",
    "JointMultimodalTransformer",
    "AffectFusion",
    "PainFusion",
    "LogMelFrontend",
]
