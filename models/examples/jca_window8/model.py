"""A joint-cross-attention-style (JCA) valence/arousal model, in the functional style of many
research repositories: raw parameter tensors and torch.matmul instead of layer classes.

  * face_net      face clip  [1, 3, 8, 96, 96] -> [1, 48]
  * voice_net     log-mel    [1, 1, 64, 104]  -> [1, 32]
  * JcaHead       over a window of 8 clips, X_v [8, 48] and X_a [8, 32]:
                    J = [X_v, X_a]                         joint representation [8, 80]
                    C_m = tanh(X_m^T J W_m / sqrt(80))     feature-joint correlation, per modality
                    H_m = relu(X_m W_xm + (J C_m^T)^T-ish) attention maps (see forward)
                    X'_m = H_m W_hm + X_m                   attended features (residual)
                  a temporal convolution over the 8 clips on [X'_v, X'_a] then valence/arousal
                  per clip: [1, 8, 1] each (time on axis 1).

Small widths and seeded random weights: this shows the manifest path, not predictions.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn


def face_net(width=8, dim=48):
    """Frames folded into channels after a temporal conv: cheap and export-friendly."""
    return nn.Sequential(
        nn.Conv3d(3, width, kernel_size=(3, 5, 5), stride=(2, 3, 3), padding=(1, 2, 2)),
        nn.ReLU(),
        nn.Conv3d(width, 2 * width, kernel_size=(3, 3, 3), stride=(2, 2, 2), padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool3d(1),
        nn.Flatten(),
        nn.Linear(2 * width, dim),
        nn.Tanh(),
    )


def voice_net(width=12, dim=32):
    return nn.Sequential(
        nn.Conv2d(1, width, (5, 5), stride=(2, 2), padding=2),
        nn.ReLU(),
        nn.Conv2d(width, width, (3, 3), stride=(2, 2), padding=1),
        nn.ReLU(),
        nn.AdaptiveMaxPool2d(1),
        nn.Flatten(),
        nn.Linear(width, dim),
        nn.Tanh(),
    )


def _param(*shape, scale=None):
    fan_in = shape[0]
    return nn.Parameter(torch.randn(*shape) * (scale if scale is not None else 1.0 / math.sqrt(fan_in)))


class JcaHead(nn.Module):
    def __init__(self, dv=48, da=32, hidden=24, window=8):
        super().__init__()
        dj = dv + da
        self.window = window
        self.dj = dj
        self.w_jv, self.w_ja = _param(dj, dv), _param(dj, da)   # joint -> modality correlation
        self.w_xv, self.w_xa = _param(dv, hidden), _param(da, hidden)
        self.w_cv, self.w_ca = _param(dv, hidden), _param(da, hidden)
        self.w_hv, self.w_ha = _param(hidden, dv), _param(hidden, da)
        self.temporal = nn.Conv1d(dj, hidden, kernel_size=3, padding=1)
        self.out = nn.Linear(hidden, 2)

    def _attend(self, x, j, w_j, w_x, w_c, w_h):
        corr = torch.tanh(torch.matmul(x.t(), torch.matmul(j, w_j)) / math.sqrt(self.dj))  # [d, d]
        h = F.relu(torch.matmul(x, w_x) + torch.matmul(torch.matmul(x, corr), w_c))      # [S, hidden]
        return torch.matmul(h, w_h) + x                                                  # [S, d]

    def forward(self, visual, audio):  # [1, S, dv], [1, S, da]
        xv, xa = visual[0], audio[0]
        j = torch.cat([xv, xa], dim=1)
        av = self._attend(xv, j, self.w_jv, self.w_xv, self.w_cv, self.w_hv)
        aa = self._attend(xa, j, self.w_ja, self.w_xa, self.w_ca, self.w_ha)
        fused = torch.cat([av, aa], dim=1).t().unsqueeze(0)          # [1, dj, S]
        h = F.relu(self.temporal(fused)).transpose(1, 2)             # [1, S, hidden]
        va = torch.tanh(self.out(h))                                 # [1, S, 2]
        return va[:, :, 0:1], va[:, :, 1:2]


def build(seed=1402, window=8):
    torch.manual_seed(seed)
    return [m.eval() for m in (face_net(), voice_net(), JcaHead(window=window))]
