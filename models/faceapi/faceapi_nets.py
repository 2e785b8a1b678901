"""face-api.js's networks re-created in PyTorch, loaded from its TF.js weights.

Facts taken from @vladmandic/face-api 1.7.15 (src/tinyYolov2, src/tinyFaceDetector,
src/faceFeatureExtractor, src/faceLandmarkNet, src/faceExpressionNet) and from the tensor
names and shapes of its weight manifests. TF.js computes in NHWC; these modules take NCHW
float32 RGB pixels in 0..255 and do the network's own normalisation (mean subtraction, /255)
inside the graph, so the runtime only resizes and pads.

TF "same" padding with stride 2 on an even size pads one pixel after (right/bottom) and none
before, unlike PyTorch's symmetric padding: the stride-2 convolutions pad explicitly.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

# TinyFaceDetector (src/tinyFaceDetector/const.ts).
DETECTOR_MEAN_RGB = (117.001, 114.697, 97.404)
DETECTOR_ANCHORS = ((1.603231, 2.094468), (6.041143, 7.080126), (2.882459, 3.518061),
                    (4.266906, 5.178857), (9.041765, 10.66308))
DETECTOR_IOU_THRESHOLD = 0.4
# FaceFeatureExtractor / TinyFaceFeatureExtractor (shared by landmarks and expressions).
FACE_MEAN_RGB = (122.782, 117.001, 104.298)
FACE_INPUT_SIZE = 112
EXPRESSIONS = ("neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised")


def _conv_weight(filters: np.ndarray) -> torch.Tensor:
    """TF conv2d filters [kh, kw, in, out] as PyTorch [out, in, kh, kw]."""
    return torch.from_numpy(np.ascontiguousarray(filters.transpose(3, 2, 0, 1)))


def _depthwise_weight(filters: np.ndarray) -> torch.Tensor:
    """TF depthwise filters [kh, kw, in, 1] as PyTorch grouped [in, 1, kh, kw]."""
    return torch.from_numpy(np.ascontiguousarray(filters.transpose(2, 3, 0, 1)))


def _pad_after(x: torch.Tensor, edge: bool = False) -> torch.Tensor:
    """One column after the right edge and one row below: zeros, or (edge) copies of the last
    ones. Built from Slice and Concat because torch's Pad export leaves shape arithmetic in the
    graph that blocks static shapes."""
    col = x[:, :, :, -1:] if edge else torch.zeros_like(x[:, :, :, :1])
    x = torch.cat([x, col], dim=3)
    row = x[:, :, -1:, :] if edge else torch.zeros_like(x[:, :, :1, :])
    return torch.cat([x, row], dim=2)


class _Normalize(nn.Module):
    """(x - mean_rgb) / 255 on NCHW pixels, as face-api's normalize() then div(255)."""

    def __init__(self, mean_rgb: tuple[float, float, float]):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean_rgb, dtype=torch.float32).view(1, 3, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / 255.0


class SeparableConv(nn.Module):
    """tf.separableConv2d + bias: a bias-free depthwise 3x3, then a pointwise 1x1 with bias.

    Stride 1 pads one pixel all round (TF 'same' and the detector's explicit pad alike);
    stride 2 pads one pixel after only (TF 'same' on an even size).
    """

    def __init__(self, channels_in: int, channels_out: int, stride: int):
        super().__init__()
        self.stride = stride
        self.depthwise = nn.Conv2d(channels_in, channels_in, 3, stride=stride, padding=1 if stride == 1 else 0,
                                   groups=channels_in, bias=False)
        self.pointwise = nn.Conv2d(channels_in, channels_out, 1, bias=True)

    def load(self, weights: dict[str, np.ndarray], prefix: str) -> None:
        self.depthwise.weight.data.copy_(_depthwise_weight(weights[f"{prefix}/depthwise_filter"]))
        self.pointwise.weight.data.copy_(_conv_weight(weights[f"{prefix}/pointwise_filter"]))
        self.pointwise.bias.data.copy_(torch.from_numpy(weights[f"{prefix}/bias"]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride != 1:
            x = _pad_after(x)
        return self.pointwise(self.depthwise(x))


def _load_conv(conv: nn.Conv2d, weights: dict[str, np.ndarray], prefix: str) -> None:
    conv.weight.data.copy_(_conv_weight(weights[f"{prefix}/filters"]))
    conv.bias.data.copy_(torch.from_numpy(weights[f"{prefix}/bias"]))


class TinyFaceDetector(nn.Module):
    """TinyYolov2Base.runMobilenet with TinyFaceDetector's config (separable convs, first layer
    a plain conv, filter sizes 3-16-32-64-128-256-512, no conv6/conv7).

    In: [1, 3, S, S] RGB 0..255, the frame padded to a square at its right or bottom and
    resized to S (S divisible by 32). Out: [1, S/32, S/32, 25], TF.js's NHWC grid, per cell
    five anchors x (tx, ty, tw, th, score logit).
    """

    def __init__(self):
        super().__init__()
        self.normalize = _Normalize(DETECTOR_MEAN_RGB)
        self.conv0 = nn.Conv2d(3, 16, 3, bias=True)  # 'valid': no padding
        sizes = (16, 32, 64, 128, 256, 512)
        self.convs = nn.ModuleList(SeparableConv(sizes[i], sizes[i + 1], 1) for i in range(5))
        self.conv8 = nn.Conv2d(512, 25, 1, bias=True)

    def load(self, weights: dict[str, np.ndarray]) -> "TinyFaceDetector":
        _load_conv(self.conv0, weights, "conv0")
        for i, conv in enumerate(self.convs):
            conv.load(weights, f"conv{i + 1}")
        _load_conv(self.conv8, weights, "conv8")
        return self

    @staticmethod
    def _leaky(x: torch.Tensor) -> torch.Tensor:
        return F.leaky_relu(x, 0.1)

    @staticmethod
    def _pool_same(x: torch.Tensor) -> torch.Tensor:
        # maxPool 2x2 stride 2 'same': an odd size gets one more output cell at its end.
        return F.max_pool2d(x, 2, 2, ceil_mode=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self._pool_same(self._leaky(self.conv0(self.normalize(x))))
        for i, conv in enumerate(self.convs):
            out = self._leaky(conv(out))
            if i < 4:
                out = self._pool_same(out)
        # maxPool 2x2 stride 1 'same': one cell after, which TF leaves out of the max; a copy
        # of the last cell gives the same max.
        out = F.max_pool2d(_pad_after(out, edge=True), 2, 1)
        return self.conv8(out).permute(0, 2, 3, 1)


class DenseBlock(nn.Module):
    """denseBlock4 (four convs, full landmark and expression nets) or denseBlock3 (three, the
    tiny landmark net): a stride-2 entry conv, then separable convs each fed the ReLU of the sum
    of all earlier outputs."""

    def __init__(self, channels_in: int, channels_out: int, convs: int, first: bool):
        super().__init__()
        self.first = first
        if first:
            self.conv0 = nn.Conv2d(channels_in, channels_out, 3, stride=2, bias=True)
        else:
            self.conv0 = SeparableConv(channels_in, channels_out, 2)
        self.rest = nn.ModuleList(SeparableConv(channels_out, channels_out, 1) for _ in range(convs - 1))

    def load(self, weights: dict[str, np.ndarray], prefix: str) -> None:
        if self.first:
            _load_conv(self.conv0, weights, f"{prefix}/conv0")
        else:
            self.conv0.load(weights, f"{prefix}/conv0")
        for i, conv in enumerate(self.rest):
            conv.load(weights, f"{prefix}/conv{i + 1}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.first:
            out = F.relu(self.conv0(_pad_after(x)))
        else:
            out = F.relu(self.conv0(x))
        # out1 = relu(conv0); out_k = conv_k(relu(out1 + ... + out_{k-1})); relu of the sum of all.
        total, inp = out, out
        for conv in self.rest:
            total = total + conv(inp)
            inp = F.relu(total)
        return inp


class FaceFeatureExtractor(nn.Module):
    """FaceFeatureExtractor (4 dense blocks of 4, 32-64-128-256, avgPool 7) or, tiny=True,
    TinyFaceFeatureExtractor (3 dense blocks of 3, 32-64-128, avgPool 14). In: [1, 3, 112, 112]."""

    def __init__(self, tiny: bool = False):
        super().__init__()
        self.normalize = _Normalize(FACE_MEAN_RGB)
        widths = (3, 32, 64, 128) if tiny else (3, 32, 64, 128, 256)
        convs = 3 if tiny else 4
        self.blocks = nn.ModuleList(
            DenseBlock(widths[i], widths[i + 1], convs, first=(i == 0)) for i in range(len(widths) - 1))
        self.pool = 14 if tiny else 7
        self.channels = widths[-1]

    def load(self, weights: dict[str, np.ndarray]) -> None:
        for i, block in enumerate(self.blocks):
            block.load(weights, f"dense{i}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.normalize(x)
        for block in self.blocks:
            out = block(out)
        return torch.flatten(F.avg_pool2d(out, self.pool, 2), 1)


class FaceProcessor(nn.Module):
    """FaceProcessor: the feature extractor then one fully connected layer (fc/weights [in, out])."""

    def __init__(self, outputs: int, tiny: bool = False, softmax: bool = False):
        super().__init__()
        self.features = FaceFeatureExtractor(tiny)
        self.fc = nn.Linear(self.features.channels, outputs)
        self.softmax = softmax

    def load(self, weights: dict[str, np.ndarray]) -> "FaceProcessor":
        self.features.load(weights)
        self.fc.weight.data.copy_(torch.from_numpy(np.ascontiguousarray(weights["fc/weights"].T)))
        self.fc.bias.data.copy_(torch.from_numpy(weights["fc/bias"]))
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.fc(self.features(x))
        return F.softmax(out, dim=1) if self.softmax else out


def landmark_net(weights: dict[str, np.ndarray], tiny: bool = False) -> FaceProcessor:
    """FaceLandmark68Net (or its tiny variant). Out: [1, 136], x0 y0 x1 y1 ... of the 68 points
    as fractions of the 112x112 input square (before face-api's padding correction)."""
    return FaceProcessor(136, tiny=tiny).load(weights).eval()


def expression_net(weights: dict[str, np.ndarray]) -> FaceProcessor:
    """FaceExpressionNet. Out: [1, 7] softmax probabilities in EXPRESSIONS order."""
    return FaceProcessor(len(EXPRESSIONS), softmax=True).load(weights).eval()


def detector(weights: dict[str, np.ndarray]) -> TinyFaceDetector:
    return TinyFaceDetector().load(weights).eval()
