"""EDA clip encoder: a small 1D CNN (our own design; the paper gives no architecture)."""

import torch
from torch import nn


def _conv_bn_relu1d(cin, cout, kernel, stride):
    return [
        nn.Conv1d(cin, cout, kernel, stride=stride, padding=kernel // 2, bias=False),
        nn.BatchNorm1d(cout),
        nn.ReLU(inplace=True),
    ]


class EdaCnn1d(nn.Module):
    """Input [1, 1, 256] (z-scored EDA, 4 s at 64 Hz) -> feature [1, 8*base].

    stem: Conv1d(1, b, 7, s2, p3)-BN-ReLU                     -> (b, 128)
    three blocks, each Conv(k, s2)-BN-ReLU-Conv(3, s1)-BN-ReLU, doubling channels:
        k=5 -> (2b, 64), k=5 -> (4b, 32), k=3 -> (8b, 16)
    global average pool over time                             -> 8b
    """

    def __init__(self, base=64):
        super().__init__()
        layers = _conv_bn_relu1d(1, base, 7, 2)
        cin = base
        for k in (5, 5, 3):
            cout = cin * 2
            layers += _conv_bn_relu1d(cin, cout, k, 2)
            layers += _conv_bn_relu1d(cout, cout, 3, 1)
            cin = cout
        self.body = nn.Sequential(*layers)
        self.feature_dim = cin

    def forward(self, eda):
        x = self.body(eda)
        x = nn.functional.adaptive_avg_pool1d(x, 1)
        return torch.flatten(x, 1)
