"""Audio clip encoder: ResNet-18 (2D BasicBlocks) over a one-channel log-mel image."""

import torch
from torch import nn


class BasicBlock2d(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride=stride, bias=False),
                nn.BatchNorm2d(cout),
            )

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.relu(y + shortcut)


class AudioResNet18(nn.Module):
    """ResNet-18 topology, conv1 = Conv2d(1, base, 7, stride 2, pad 3), 3x3/2 max pool,
    four stages of two BasicBlocks (base, 2b, 4b, 8b), global average pool, no fc.

    Input [1, 1, 64, 104] (N, C, mel, time) -> feature [1, 8*base].
    """

    def __init__(self, base=64):
        super().__init__()
        self.conv1 = nn.Conv2d(1, base, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(base)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        widths = [base, base * 2, base * 4, base * 8]
        cin = base
        stages = []
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            stages.append(nn.Sequential(BasicBlock2d(cin, w, stride), BasicBlock2d(w, w, 1)))
            cin = w
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.feature_dim = widths[-1]

    def forward(self, logmel):
        x = self.maxpool(self.relu(self.bn1(self.conv1(logmel))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = nn.functional.adaptive_avg_pool2d(x, 1)
        return torch.flatten(x, 1)
