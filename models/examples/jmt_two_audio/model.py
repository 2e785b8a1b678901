"""A JMT-style affect model with two audio streams, as a research codebase might write it.

Three encoders feed one joint transformer:
  * FaceEncoder3d   face clip  [1, 3, 8, 112, 112] -> [1, 64]
  * MelEncoder      log-mel    [1, 1, 64, 104]     -> [1, 128]
  * WaveEncoder     waveform   [1, 16000] at 16 kHz -> [1, 768] (wav2vec-sized features)
  * JointHead       the three feature sequences over a window of S clips become 3*S tokens
                    (per-stream projection + stream embedding + clip position embedding), a
                    pre-norm multi-head transformer mixes all of them jointly, and each clip's
                    three tokens are pooled into valence and arousal: [S, 1] each.

Small widths and seeded random weights: this shows the manifest path, not predictions.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn


class FaceEncoder3d(nn.Module):
    def __init__(self, width=12, dim=64):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv3d(3, width, kernel_size=(3, 7, 7), stride=(1, 4, 4), padding=(1, 3, 3)),
            nn.GELU(),
            nn.Conv3d(width, 2 * width, kernel_size=3, stride=2, padding=1),
            nn.GELU(),
            nn.Conv3d(2 * width, 2 * width, kernel_size=3, stride=2, padding=1),
            nn.GELU(),
        )
        self.proj = nn.Linear(2 * width, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, clip):
        h = self.body(clip).mean(dim=(2, 3, 4))
        return self.norm(self.proj(h))


class MelEncoder(nn.Module):
    def __init__(self, width=16, dim=128):
        super().__init__()
        self.c1 = nn.Conv2d(1, width, 5, stride=2, padding=2)
        self.c2 = nn.Conv2d(width, 2 * width, 3, stride=2, padding=1)
        self.c3 = nn.Conv2d(2 * width, 2 * width, 3, stride=2, padding=1)
        self.proj = nn.Linear(2 * width, dim)

    def forward(self, mel):
        h = F.gelu(self.c1(mel))
        h = F.gelu(self.c2(h))
        h = F.gelu(self.c3(h))
        return torch.tanh(self.proj(h.mean(dim=(2, 3))))


class WaveEncoder(nn.Module):
    """Strided 1-D convolutions over raw 16 kHz samples (a 25 ms / 10 ms-ish front end), mean
    pooled over time and projected to 768."""

    def __init__(self, width=24, dim=768):
        super().__init__()
        self.convs = nn.ModuleList([
            nn.Conv1d(1, width, 80, stride=40),
            nn.Conv1d(width, width, 5, stride=4),
            nn.Conv1d(width, width, 3, stride=2),
        ])
        self.proj = nn.Linear(width, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, wave):
        h = wave.unsqueeze(1)  # [1, 1, samples]
        for conv in self.convs:
            h = F.gelu(conv(h))
        return self.norm(self.proj(h.mean(dim=2)))


class JointBlock(nn.Module):
    """Pre-norm transformer block, fused qkv projection, multi-head attention with einsum."""

    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.scale = 1.0 / math.sqrt(d // heads)
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):  # x: [N, d]
        n, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).reshape(n, 3, self.heads, d // self.heads).unbind(1)
        att = torch.einsum("qhc,khc->hqk", q, k) * self.scale
        ctx = torch.einsum("hqk,khc->qhc", att.softmax(dim=-1), v).reshape(n, d)
        x = x + self.o(ctx)
        return x + self.mlp(self.ln2(x))


class JointHead(nn.Module):
    def __init__(self, dims=(64, 128, 768), window=16, d=32, heads=4, layers=2):
        super().__init__()
        self.window = window
        self.inp = nn.ModuleList([nn.Linear(k, d) for k in dims])
        self.stream_emb = nn.Parameter(0.02 * torch.randn(len(dims), d))
        self.pos_emb = nn.Parameter(0.02 * torch.randn(window, d))
        self.blocks = nn.ModuleList([JointBlock(d, heads) for _ in range(layers)])
        self.out_ln = nn.LayerNorm(len(dims) * d)
        self.va = nn.Linear(len(dims) * d, 2)

    def forward(self, face, mel, wave):  # each [1, S, D_i]
        tokens = [proj(x[0]) + self.stream_emb[i] + self.pos_emb for i, (proj, x) in
                  enumerate(zip(self.inp, (face, mel, wave)))]
        x = torch.cat(tokens, dim=0)  # [3S, d]: stream-major
        for block in self.blocks:
            x = block(x)
        per_clip = x.reshape(3, self.window, -1).permute(1, 0, 2).reshape(self.window, -1)  # [S, 3d]
        va = torch.tanh(self.va(self.out_ln(per_clip)))  # [S, 2]
        return {"valence": va[:, 0:1], "arousal": va[:, 1:2]}


def build(seed=1401, window=16):
    """The four modules with seeded random weights, in eval mode."""
    torch.manual_seed(seed)
    face, mel, wave = FaceEncoder3d(), MelEncoder(), WaveEncoder()
    head = JointHead(window=window)
    return [m.eval() for m in (face, mel, wave, head)]
