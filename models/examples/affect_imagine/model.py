"""The affect task (face video + voice) with missing-modality imagination, MMIN-style: when the
microphone gives nothing, a small network predicts the audio feature from the visual one, so the
fusion head still sees a plausible audio stream instead of the feature of silence.

  * VisualEncoder  face clip [1, 3, 8, 112, 112] -> [1, 64]
  * AudioEncoder   log-mel   [1, 1, 64, 104]     -> [1, 64]
  * Imagine        visual feature [1, 64] -> audio feature [1, 64]
                   (the encoder half of a cross-modal autoencoder: Linear-Tanh-Linear-LayerNorm)
  * GatedFusion    [1, 16, 64] x 2 -> valence, arousal [1, 16]: a per-clip sigmoid gate mixes the
                   two streams, a depthwise temporal convolution smooths over the window.

Small widths and seeded random weights: this shows the manifest path, not predictions.
"""

import torch
from torch import nn


class VisualEncoder(nn.Module):
    def __init__(self, width=8, dim=64):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv3d(3, width, (1, 5, 5), stride=(1, 4, 4), padding=(0, 2, 2)), nn.ELU(),
            nn.Conv3d(width, width, (3, 1, 1), stride=(2, 1, 1), padding=(1, 0, 0)), nn.ELU(),  # (2+1)D-ish
            nn.Conv3d(width, 2 * width, (3, 3, 3), stride=2, padding=1), nn.ELU(),
        )
        self.fc = nn.Linear(2 * width, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, clip):
        return self.norm(self.fc(self.features(clip).amax(dim=(2, 3, 4))))


class AudioEncoder(nn.Module):
    def __init__(self, width=12, dim=64):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, width, (7, 3), stride=(2, 2), padding=(3, 1)), nn.ELU(),
            nn.Conv2d(width, 2 * width, 3, stride=2, padding=1), nn.ELU(),
        )
        self.fc = nn.Linear(2 * width, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, logmel):
        return self.norm(self.fc(self.features(logmel).mean(dim=(2, 3))))


class Imagine(nn.Module):
    def __init__(self, dim_in=64, dim_out=64, hidden=48):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim_in, hidden), nn.Tanh(), nn.Linear(hidden, dim_out))
        self.norm = nn.LayerNorm(dim_out)  # the audio encoder's features are layer-normalised too

    def forward(self, visual_feature):
        return self.norm(self.net(visual_feature))


class GatedFusion(nn.Module):
    def __init__(self, dim=64, window=16, hidden=32):
        super().__init__()
        self.window = window
        self.gate = nn.Linear(2 * dim, dim)
        self.mix = nn.Linear(dim, hidden)
        self.smooth = nn.Conv1d(hidden, hidden, 5, padding=2, groups=hidden)
        self.head = nn.Linear(hidden, 2)

    def forward(self, visual_features, audio_features):
        g = torch.sigmoid(self.gate(torch.cat([visual_features, audio_features], dim=-1)))
        h = torch.relu(self.mix(g * visual_features + (1 - g) * audio_features))  # [1, S, hidden]
        h = self.smooth(h.transpose(1, 2)).transpose(1, 2)
        va = torch.tanh(self.head(h))  # [1, S, 2]
        return va[..., 0], va[..., 1]


def build(seed=1404, window=16):
    torch.manual_seed(seed)
    return [m.eval() for m in (VisualEncoder(), AudioEncoder(), Imagine(), GatedFusion(window=window))]
