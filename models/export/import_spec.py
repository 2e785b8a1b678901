"""The declaration edgeemo_import.export_pack takes: a pack's modalities, streams, fusion head,
imagination models and outputs, as plain dataclasses around the caller's own nn.Modules.
Import them from edgeemo_import (which re-exports them)."""

from dataclasses import dataclass
from typing import Optional, Sequence

import torch
from torch import nn

from import_recipes import Recipe


@dataclass
class Imagination:
    """A model that predicts its stream's clip feature from streams of OTHER modalities (MMIN-style),
    used when the stream's modality declares missing="imagine".

    module: takes the source streams' features, each [1, featureDim of that stream], in the order
        of `inputs`, and returns one tensor [1, featureDim of this stream].
    inputs: the source stream names, in forward()'s argument order.
    input_names / output_name: ONNX tensor names (default "<source>_feature" and "<stream>_feature").
    """

    module: nn.Module
    inputs: Sequence[str]
    input_names: Optional[Sequence[str]] = None
    output_name: Optional[str] = None


@dataclass
class Stream:
    """One backbone on one modality's data, prepared by one recipe.

    name: unique in the pack (^[a-z][a-z0-9_]*$); fusion and imagination inputs name it.
    recipe: face_clip(...), logmel(...), waveform(...) or eda(...).
    backbone: with fusion it returns the clip feature [1, featureDim]; without fusion (one stream
        in the pack) its outputs are the scores, named and shaped like the pack's `outputs`.
    input_shape: the backbone input shape when the recipe allows several (faceClip with
        clip_frames 1: [1, 3, H, W]; waveform: [1, 1, samples]); default the recipe's first.
    sample_input: a tensor for the golden case instead of the synthetic one (same shape).
    input_name / output_name: ONNX tensor names (default the recipe's, e.g. "clip", and "feature").
    imagination: see Imagination.
    """

    name: str
    recipe: Recipe
    backbone: nn.Module
    input_shape: Optional[Sequence[int]] = None
    sample_input: Optional[torch.Tensor] = None
    input_name: Optional[str] = None
    output_name: str = "feature"
    imagination: Optional[Imagination] = None


@dataclass
class Modality:
    """One sensor's data: kind "video", "audio" or "eda", and the streams that read it.

    missing: what replaces the data when the sensor gives none: the kind's natural substitute
        (video "black", audio "silence", eda "neutral" with missing_value in microsiemens) or
        "imagine" (every stream then needs an Imagination).
    """

    name: str
    kind: str
    streams: Sequence[Stream]
    missing: Optional[str] = None
    missing_value: Optional[float] = None


@dataclass
class Fusion:
    """The head that turns the streams' clip features into scores.

    module: forward() takes one tensor per stream, [1, window, featureDim of that stream], in the
        order of `inputs`, and returns the score tensors in the order of the pack's `outputs`
        (a tuple, or a dict keyed by output name).
    inputs: every stream name exactly once, in forward()'s argument order.
    window: clips per call (fixed: the ONNX graph is exported for it).
    input_names: ONNX tensor names (default "<stream>_features").
    """

    module: nn.Module
    inputs: Sequence[str]
    window: int
    input_names: Optional[Sequence[str]] = None


@dataclass
class Output:
    """One score the pack publishes.

    kind: "regression" (min/max: the runtime clips to them), "probability" (0..1) or
        "classLogits" (classes: one label per logit of ordered levels; the score is the class index)
        or "classProbabilities" (classes: one label per probability, the model's own softmax over
        unordered classes such as expressions; published as they are).
    time_axis: which axis of the score tensor is time (0 for [S, 1] or [S, K], 1 for [1, S],
        [1, S, 1], [1, S, K]); None for a window-level tensor [1, 1] or [1, K].
    smoothing_frames: moving-average length the consumer may apply (optional).
    """

    name: str
    kind: str
    meaning: Optional[str] = None
    min: Optional[float] = None
    max: Optional[float] = None
    classes: Optional[Sequence[str]] = None
    smoothing_frames: Optional[int] = None
    time_axis: Optional[int] = None

    def manifest_entry(self):
        e = {"name": self.name, "kind": self.kind}
        for key, value in (("meaning", self.meaning), ("min", self.min), ("max", self.max),
                           ("classes", list(self.classes) if self.classes else None),
                           ("smoothingFrames", self.smoothing_frames)):
            if value is not None:
                e[key] = float(value) if key in ("min", "max") else value
        return e
