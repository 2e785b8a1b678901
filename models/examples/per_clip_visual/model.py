"""A single-image valence/arousal regressor, the way a Keras-to-PyTorch port might write it:
one face image in, a dict of named window-level scores out, no fusion at all.

  FaceVA   face image [1, 3, 64, 64] -> {"valence": [1, 1], "arousal": [1, 1]}
           depthwise-separable conv stack, global average pool, two tanh heads

Small widths and seeded random weights: this shows the manifest path, not predictions.
"""

import torch
from torch import nn


class SeparableConv(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.depthwise = nn.Conv2d(cin, cin, 3, stride=stride, padding=1, groups=cin)
        self.pointwise = nn.Conv2d(cin, cout, 1)
        self.norm = nn.GroupNorm(4, cout)

    def forward(self, x):
        return torch.relu(self.norm(self.pointwise(self.depthwise(x))))


class FaceVA(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, stride=2, padding=1), nn.ReLU())
        self.blocks = nn.Sequential(SeparableConv(width, 2 * width, 2), SeparableConv(2 * width, 2 * width, 1),
                                    SeparableConv(2 * width, 4 * width, 2), SeparableConv(4 * width, 4 * width, 2))
        self.valence_head = nn.Linear(4 * width, 1)
        self.arousal_head = nn.Linear(4 * width, 1)

    def forward(self, image):
        h = self.blocks(self.stem(image)).mean(dim=(2, 3))  # [1, 4w]
        return {"valence": torch.tanh(self.valence_head(h)), "arousal": torch.tanh(self.arousal_head(h))}


def build(seed=1403):
    torch.manual_seed(seed)
    return FaceVA().eval()
