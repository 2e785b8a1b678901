"""Joint Multimodal Transformer (JMT) fusion head, written from the recipe in docs/model-card.md.

Everything is spelled out with Linear layers, matmul, softmax, reshape and transpose so the
ONNX graph is plain (no fused attention kernels). Shapes are static: the window S and the
feature size D are fixed when the module is built.
"""

import math

import torch
from torch import nn


def l2_normalise(x, eps=1e-12):
    """x / sqrt(sum(x^2) + eps) over the last (feature) axis."""
    return x / torch.sqrt(torch.sum(x * x, dim=-1, keepdim=True) + eps)


class Attention(nn.Module):
    """Scaled dot-product attention with its own q/k/v/out projections.

    query (B, Lq, D), key_value (B, Lk, D) -> (B, Lq, D). With one head (the published
    configuration) there is no head split at all.
    """

    def __init__(self, dim, heads=1, dropout=0.0):
        super().__init__()
        if dim % heads:
            raise ValueError("dim must be divisible by heads")
        self.dim = dim
        self.heads = heads
        self.head_dim = dim // heads
        self.scale = 1.0 / math.sqrt(self.head_dim)
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, dim)
        self.dropout = nn.Dropout(dropout)

    def _split(self, x, batch, length):
        # (B, L, D) -> (B, H, L, Dh)
        return x.reshape(batch, length, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, query, key_value, batch=None, lq=None, lk=None):
        q = self.q(query) * self.scale
        k = self.k(key_value)
        v = self.v(key_value)
        if self.heads == 1:
            weights = torch.softmax(torch.matmul(q, k.transpose(-2, -1)), dim=-1)
            ctx = torch.matmul(self.dropout(weights), v)
        else:
            q = self._split(q, batch, lq)
            k = self._split(k, batch, lk)
            v = self._split(v, batch, lk)
            weights = torch.softmax(torch.matmul(q, k.transpose(-2, -1)), dim=-1)
            ctx = torch.matmul(self.dropout(weights), v)
            ctx = ctx.transpose(1, 2).reshape(batch, lq, self.dim)
        return self.out(ctx)


class EncoderLayer(nn.Module):
    """Post-norm transformer layer: x = LN(x + SA(x)); x = LN(x + FFN(x)), FFN D->ffn->D, ReLU."""

    def __init__(self, dim, heads=1, ffn_dim=None, dropout=0.1):
        super().__init__()
        ffn_dim = ffn_dim or dim
        self.attn = Attention(dim, heads, dropout)
        self.ff1 = nn.Linear(dim, ffn_dim)
        self.ff2 = nn.Linear(ffn_dim, dim)
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.drop1 = nn.Dropout(dropout)
        self.drop2 = nn.Dropout(dropout)
        self.drop_ff = nn.Dropout(dropout)

    def forward(self, x, batch=None, length=None):
        x = self.norm1(x + self.drop1(self.attn(x, x, batch, length, length)))
        y = self.ff2(self.drop_ff(torch.relu(self.ff1(x))))
        return self.norm2(x + self.drop2(y))


class JointMultimodalTransformer(nn.Module):
    """JMT with the SELF_ATTEN output.

    visual (1, S, D), other (1, S, D) -> fused (1, S, D)

    1. both inputs L2-normalised over D; J = Linear(2D -> D)(concat(V, A))
    2. one post-norm encoder layer each for V, A and J (attention over the S clips)
    3. six cross-attentions from three modules, each used twice (query <- key/value):
       CA_v: V<-A, V<-J;  CA_a: A<-V, A<-J;  CA_j: J<-V, J<-A
    4. the six outputs become six tokens per clip, (S, 6, D), in the order above ->
       one encoder layer -> one attention -> the last token -> (1, S, D)
    """

    def __init__(self, dim, window, heads=1, dropout=0.1):
        super().__init__()
        self.dim = dim
        self.window = window
        self.joint = nn.Linear(2 * dim, dim)
        self.enc_v = EncoderLayer(dim, heads, dim, dropout)
        self.enc_a = EncoderLayer(dim, heads, dim, dropout)
        self.enc_j = EncoderLayer(dim, heads, dim, dropout)
        self.ca_v = Attention(dim, heads, dropout)
        self.ca_a = Attention(dim, heads, dropout)
        self.ca_j = Attention(dim, heads, dropout)
        self.out_enc = EncoderLayer(dim, heads, dim, dropout)
        self.out_attn = Attention(dim, heads, dropout)

    def forward(self, visual, other):
        s, d = self.window, self.dim
        v = l2_normalise(visual)
        a = l2_normalise(other)
        j = self.joint(torch.cat([v, a], dim=-1))
        v = self.enc_v(v, 1, s)
        a = self.enc_a(a, 1, s)
        j = self.enc_j(j, 1, s)
        tokens = torch.stack(
            [
                self.ca_v(v, a, 1, s, s),
                self.ca_v(v, j, 1, s, s),
                self.ca_a(a, v, 1, s, s),
                self.ca_a(a, j, 1, s, s),
                self.ca_j(j, v, 1, s, s),
                self.ca_j(j, a, 1, s, s),
            ],
            dim=2,
        )  # (1, S, 6, D)
        tokens = tokens.reshape(s, 6, d)  # clips become the batch, the six tokens the sequence
        tokens = self.out_enc(tokens, s, 6)
        tokens = self.out_attn(tokens, tokens, s, 6, 6)
        last = tokens[:, 5:6, :]  # (S, 1, D)
        return last.reshape(1, s, d)


def mlp_head(dim, hidden, out, dropout=0.1):
    """Linear(D, h)-ReLU-Dropout-Linear(h, k)."""
    return nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(inplace=True), nn.Dropout(dropout), nn.Linear(hidden, out))


class AffectFusion(nn.Module):
    """visual_features (1,S,D), audio_features (1,S,D) -> valence (1,S), arousal (1,S).

    Raw linear outputs (no tanh); the runtime clips them to [-1, 1].
    """

    def __init__(self, dim, window, hidden=128, heads=1, dropout=0.1):
        super().__init__()
        self.window = window
        self.jmt = JointMultimodalTransformer(dim, window, heads, dropout)
        self.valence = mlp_head(dim, hidden, 1, dropout)
        self.arousal = mlp_head(dim, hidden, 1, dropout)

    def forward(self, visual_features, audio_features):
        fused = self.jmt(visual_features, audio_features)
        valence = self.valence(fused).reshape(1, self.window)
        arousal = self.arousal(fused).reshape(1, self.window)
        return valence, arousal


class PainFusion(nn.Module):
    """visual_features (1,S,D), eda_features (1,S,D) -> pain_probability (1,S) (sigmoid),
    pain_level (1,S,5): class logits for BL1, PA1..PA4."""

    def __init__(self, dim, window, hidden=128, levels=5, heads=1, dropout=0.1):
        super().__init__()
        self.window = window
        self.levels = levels
        self.jmt = JointMultimodalTransformer(dim, window, heads, dropout)
        self.pain = mlp_head(dim, hidden, 1, dropout)
        self.level = mlp_head(dim, hidden, levels, dropout)

    def forward(self, visual_features, eda_features):
        fused = self.jmt(visual_features, eda_features)
        probability = torch.sigmoid(self.pain(fused).reshape(1, self.window))
        logits = self.level(fused)
        return probability, logits
