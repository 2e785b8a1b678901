"""Seeded synthetic inputs of realistic scale, for BatchNorm calibration and golden vectors.

All generators are deterministic functions of their seed (NumPy's PCG64 via default_rng, or a
seeded torch.Generator), computed in float64 where it matters and returned as float32.
"""

import math

import numpy as np
import torch
from torch.nn import functional as F

VIDEO_MEAN = (0.43216, 0.394666, 0.37645)
VIDEO_STD = (0.22803, 0.22145, 0.216989)


def face_pixels(seed, batch=1, frames=8, height=112, width=112):
    """Face-crop-like pixels in [0, 1]: [B, 3, T, H, W].

    A smooth random luminance field shared by the channels, some per-channel colour, slow change
    over time and fine noise.
    """
    g = torch.Generator().manual_seed(seed)
    lum = torch.randn(batch, 1, 3, 7, 7, generator=g)
    chroma = 0.35 * torch.randn(batch, 3, 3, 7, 7, generator=g)
    field = F.interpolate(lum + chroma, size=(frames, height, width), mode="trilinear", align_corners=False)
    base = 0.35 + 0.2 * torch.rand(batch, 3, 1, 1, 1, generator=g)
    fine = 0.04 * torch.randn(batch, 3, frames, height, width, generator=g)
    return (base + 0.22 * field + fine).clamp(0.0, 1.0)


def video_clips(seed, batch=1, frames=8, size=112):
    """Face-crop-like clips (face_pixels), normalised like the runtime does: [B, 3, T, H, W],
    (p - mean) / std per channel."""
    pixels = face_pixels(seed, batch, frames, size, size)
    mean = torch.tensor(VIDEO_MEAN).view(1, 3, 1, 1, 1)
    std = torch.tensor(VIDEO_STD).view(1, 3, 1, 1, 1)
    return ((pixels - mean) / std).contiguous()


def speech_like_waveform(seed, samples=45599, sample_rate=44100, rms=0.05, noise_rel=0.08,
                         silence=None, lead_zeros=0):
    """A voiced-speech-like signal: harmonic chirp (f0 glides between two random pitches),
    syllable-rate amplitude envelope, white noise; scaled to `rms` (full scale = 1.0).

    silence: (start, stop) sample range set to exact zeros; lead_zeros: that many zeros at the
    start (as the runtime's left-zero padding of a short segment). Returns float32 [samples].
    """
    rng = np.random.default_rng(seed)
    t = np.arange(samples, dtype=np.float64) / sample_rate
    dur = samples / sample_rate
    f_start = rng.uniform(100.0, 180.0)
    f_end = rng.uniform(160.0, 300.0)
    f0 = f_start * (f_end / f_start) ** (t / dur)
    phase = 2.0 * math.pi * np.cumsum(f0) / sample_rate
    voiced = np.zeros(samples)
    for k in range(1, 25):
        if k * max(f_start, f_end) >= sample_rate / 2:
            break
        voiced += (1.0 / k) * np.sin(k * phase + rng.uniform(0, 2 * math.pi))
    syllable_hz = rng.uniform(3.0, 5.0)
    envelope = 0.15 + 0.85 * (0.5 - 0.5 * np.cos(2 * math.pi * syllable_hz * t + rng.uniform(0, 2 * math.pi))) ** 2
    x = voiced * envelope
    x = x / np.sqrt(np.mean(x ** 2))
    x = x + noise_rel * rng.standard_normal(samples)
    x = rms * x / np.sqrt(np.mean(x ** 2))
    if silence is not None:
        x[silence[0]:silence[1]] = 0.0
    if lead_zeros:
        x[:lead_zeros] = 0.0
    return x.astype(np.float32)


def eda_segments(seed, batch=1, samples=256, sample_rate=64, mean=5.0, std=4.0):
    """Skin-conductance-like segments in microsiemens, z-scored: [B, 1, samples].

    A tonic level (1-15 uS) with a slow drift, 0-2 phasic responses (bi-exponential, 0.1-1.5 uS)
    and a little sensor noise.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(samples, dtype=np.float64) / sample_rate
    out = np.empty((batch, 1, samples), dtype=np.float64)
    for b in range(batch):
        level = rng.uniform(1.0, 15.0)
        drift = rng.uniform(-0.3, 0.3) * t / t[-1]
        x = level + drift
        for _ in range(rng.integers(0, 3)):
            onset = rng.uniform(-1.0, t[-1] - 0.5)
            amp = rng.uniform(0.1, 1.5)
            dt = np.clip(t - onset, 0.0, None)
            shape = np.exp(-dt / 2.5) - np.exp(-dt / 0.7)
            x = x + amp * shape / 0.45
        x = x + 0.01 * rng.standard_normal(samples)
        out[b, 0] = (x - mean) / std
    return torch.from_numpy(out.astype(np.float32))


def fusion_features(seed, window, dim):
    """Un-normalised clip features like a backbone's: non-negative and sparse-ish (post-ReLU
    pooling), with a different overall scale per clip (log-normal) so that the head's L2
    normalisation matters: [1, S, D]."""
    g = torch.Generator().manual_seed(seed)
    x = torch.relu(torch.randn(1, window, dim, generator=g))
    scale = torch.exp(torch.randn(1, window, 1, generator=g))
    return (x * scale).contiguous()
