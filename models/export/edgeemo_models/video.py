"""Clip encoders for video: R(2+1)D-18 (affect) and R3D-18 (pain).

Both follow torchvision's video ResNet-18 topology (stem, four stages of two BasicBlocks,
widths base, 2b, 4b, 8b; stages 2-4 stride 2 in T, H and W). `base` is 64 for the paper's
networks and smaller for the test-sized "tiny" packs.
"""

import torch
from torch import nn


def _conv_bn_relu3d(cin, cout, kernel, stride, padding, relu=True):
    layers = [
        nn.Conv3d(cin, cout, kernel, stride=stride, padding=padding, bias=False),
        nn.BatchNorm3d(cout),
    ]
    if relu:
        layers.append(nn.ReLU(inplace=True))
    return layers


class Factorised3d(nn.Sequential):
    """A (2+1)D convolution: spatial (1,3,3) to `mid` channels, BN, ReLU, temporal (3,1,1)."""

    def __init__(self, cin, cout, mid, stride):
        super().__init__(
            *_conv_bn_relu3d(cin, mid, (1, 3, 3), (1, stride, stride), (0, 1, 1)),
            nn.Conv3d(mid, cout, (3, 1, 1), stride=(stride, 1, 1), padding=(1, 0, 0), bias=False),
        )


class Full3d(nn.Sequential):
    """A plain 3x3x3 convolution."""

    def __init__(self, cin, cout, mid, stride):
        super().__init__(
            nn.Conv3d(cin, cout, 3, stride=stride, padding=1, bias=False),
        )


class VideoBasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, conv):
        super().__init__()
        # Parameter-matched middle width of a (2+1)D pair (unused by the 3D variant).
        mid = (cin * cout * 27) // (cin * 9 + 3 * cout)
        self.conv1 = nn.Sequential(conv(cin, cout, mid, stride), nn.BatchNorm3d(cout), nn.ReLU(inplace=True))
        self.conv2 = nn.Sequential(conv(cout, cout, mid, 1), nn.BatchNorm3d(cout))
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(
                nn.Conv3d(cin, cout, 1, stride=stride, bias=False),
                nn.BatchNorm3d(cout),
            )
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        y = self.conv2(self.conv1(x))
        return self.relu(y + shortcut)


class _VideoResNet18(nn.Module):
    conv = None

    def __init__(self, base=64):
        super().__init__()
        self.base = base
        self.stem = self._make_stem(base)
        widths = [base, base * 2, base * 4, base * 8]
        cin = base
        stages = []
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            stages.append(nn.Sequential(
                VideoBasicBlock(cin, w, stride, self.conv),
                VideoBasicBlock(w, w, 1, self.conv),
            ))
            cin = w
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.feature_dim = widths[-1]

    def _make_stem(self, base):
        raise NotImplementedError

    def trunk(self, x):
        x = self.stem(x)
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        return self.layer4(x)


class R2Plus1D18(_VideoResNet18):
    """R(2+1)D-18 clip encoder. Input [1,3,8,112,112] (N,C,T,H,W) -> feature [1, 8*base].

    The feature is the layer4 map (8b, 1, 7, 7) reduced by a max over all T*H*W positions.
    """

    conv = Factorised3d
    stem_mid = 45

    def _make_stem(self, base):
        return nn.Sequential(
            *_conv_bn_relu3d(3, self.stem_mid, (1, 7, 7), (1, 2, 2), (0, 3, 3)),
            *_conv_bn_relu3d(self.stem_mid, base, (3, 1, 1), 1, (1, 0, 0)),
        )

    def forward(self, clip):
        x = self.trunk(clip)
        return torch.amax(x, dim=(2, 3, 4))


class R3D18(_VideoResNet18):
    """R3D-18 clip encoder. Input [1,3,8,112,112] -> feature [1, 8*base] (global average)."""

    conv = Full3d

    def _make_stem(self, base):
        return nn.Sequential(*_conv_bn_relu3d(3, base, (3, 7, 7), (1, 2, 2), (1, 3, 3)))

    def forward(self, clip):
        x = self.trunk(clip)
        x = nn.functional.adaptive_avg_pool3d(x, 1)
        return torch.flatten(x, 1)
