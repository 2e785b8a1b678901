"""Input recipes of manifest v2 streams, for edgeemo_import: parameters, tensor shapes, sample inputs.

A recipe says how the runtime turns a modality's source data into one backbone input per clip
(docs/model-pack.md). Build one with `face_clip`, `logmel`, `waveform` or `eda`; each checks its
parameters as the runtime will and knows the input shapes it produces. `Recipe.sample` gives
deterministic, realistically scaled inputs of that shape (face-like pixels normalised as the
runtime normalises them, speech-like audio through the recipe's own front end, skin-conductance
curves), which is what the golden vectors are computed on.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import torch

import export_packs
from edgeemo_models import LogMelFrontend, synthetic
from manifest_rules import (
    EDA,
    FACE_CLIP,
    LOGMEL,
    RECIPES_BY_KIND,
    WAVEFORM,
    WAVEFORM_NORMALIZATIONS,
    recipe_input_shapes,
)


class PackExportError(ValueError):
    """A pack cannot be exported as declared; the message says what is wrong and what to do."""


ZSCORE_EPS = 1e-7  # (x - mean) / sqrt(var + eps), as the runtime computes it


@dataclass(frozen=True)
class Recipe:
    """One stream's input recipe: `name` (faceClip, logmel, waveform, eda) and its parameter object,
    exactly as it goes into the manifest under the key `name`. Build it with the functions below."""

    name: str
    params: dict = field(hash=False)

    @property
    def kind(self):
        """The modality kind this recipe reads (video, audio, eda)."""
        return next(k for k, names in RECIPES_BY_KIND.items() if self.name in names)

    @property
    def input_name(self):
        """The backbone input name used when the stream does not name it."""
        return {FACE_CLIP: "clip", LOGMEL: "logmel", WAVEFORM: "waveform", EDA: "eda"}[self.name]

    @property
    def layout(self):
        """The manifest's optional `layout` of the default input shape."""
        return {FACE_CLIP: "NCTHW", LOGMEL: "NCHW", WAVEFORM: None, EDA: "NCL"}[self.name]

    def input_shapes(self):
        """The backbone input shapes this recipe can feed, the default first."""
        return recipe_input_shapes(self.name, self.params)

    def layout_of(self, shape):
        """`layout` for a chosen input shape (None where the manifest leaves it out)."""
        if self.name == FACE_CLIP and len(shape) == 4:
            return "NCHW"
        return self.layout if list(shape) == self.input_shapes()[0] else None

    def sample(self, seed, shape=None):
        """A deterministic input for `seed`, shaped `shape` (one of input_shapes(); default the first),
        float32, computed the way the runtime prepares real data."""
        shape = list(shape or self.input_shapes()[0])
        p = self.params
        if self.name == FACE_CLIP:
            pixels = synthetic.face_pixels(seed, 1, p["clipFrames"], p["height"], p["width"])
            if p["pixelOrder"] == "BGR":
                pixels = pixels.flip(1)
            raw = torch.round(pixels * 255.0)  # 8-bit frames, as the camera gives them
            mean = torch.tensor(p["mean"], dtype=torch.float32).view(1, 3, 1, 1, 1)
            std = torch.tensor(p["std"], dtype=torch.float32).view(1, 3, 1, 1, 1)
            x = (raw * p["scale"] - mean) / std
        elif self.name == LOGMEL:
            wave = synthetic.speech_like_waveform(seed, p["segmentSamples"], p["sampleRate"], rms=0.05)
            x = logmel_frontend(p)(torch.from_numpy(wave))
        elif self.name == WAVEFORM:
            wave = synthetic.speech_like_waveform(seed, p["samples"], p["sampleRate"], rms=0.05)
            x = torch.from_numpy(normalise_waveform(wave, p["normalization"]))
        else:
            x = synthetic.eda_segments(seed, 1, p["segmentSamples"], p["sampleRate"], p["mean"], p["std"])
        return x.to(torch.float32).reshape(shape).contiguous()


def face_clip(frame_rate=30, clip_frames=8, dilation=4, width=112, height=112, pixel_order="RGB",
              scale=1.0 / 255.0, mean=synthetic.VIDEO_MEAN, std=synthetic.VIDEO_STD):
    """Face crops sampled over a clip: `clip_frames` frames `dilation` apart at `frame_rate`,
    resized to width x height, pixel * scale, then (x - mean) / std per channel.
    Input [1, 3, clip_frames, height, width]; with clip_frames 1 also [1, 3, height, width]
    (one face image per clip: the clip's newest frame). Defaults: the affect packs' recipe."""
    params = {
        "frameRate": frame_rate, "clipFrames": clip_frames, "dilation": dilation,
        "spanFrames": clip_frames * dilation, "width": width, "height": height,
        "pixelOrder": pixel_order, "scale": scale, "mean": [float(v) for v in mean],
        "std": [float(v) for v in std],
    }
    _require(frame_rate > 0, "faceClip frame_rate must be positive")
    _require(clip_frames > 0 and dilation > 0, "faceClip clip_frames and dilation must be positive")
    _require(width > 0 and height > 0, "faceClip width and height must be positive")
    _require(pixel_order in ("RGB", "BGR"), f"faceClip pixel_order {pixel_order!r} is not RGB or BGR")
    _require(scale > 0, "faceClip scale must be positive")
    _require(len(params["mean"]) == 3 and len(params["std"]) == 3, "faceClip mean and std need 3 values (one per channel)")
    _require(all(s > 0 for s in params["std"]), "faceClip std values must be positive")
    return Recipe(FACE_CLIP, params)


def logmel(**overrides):
    """Log-mel spectrogram of the audio segment ending with the clip. Parameters as the manifest
    spells them (sampleRate, segmentSamples, nFft, winLength, hopLength, nMels, fMin, fMax, power,
    dbMultiplier, topDb, normOffset, normScale, ...); defaults: the affect packs' recipe
    (44.1 kHz, 45599 samples, 64 mels). Input [1, 1, nMels, frames]."""
    params = dict(export_packs.AUDIO)
    unknown = sorted(set(overrides) - set(params))
    _require(not unknown, f"logmel: unknown parameter(s) {unknown}; known: {sorted(params)}")
    params.update(overrides)
    if "sampleRate" in overrides and "fMax" not in overrides:
        params["fMax"] = params["sampleRate"] / 2  # the default's Nyquist frequency goes with its rate
    fixed = {"window": "hann", "padMode": "reflect", "melScale": "htk", "melNorm": "none", "padding": "left-zero"}
    for key, value in fixed.items():
        _require(params[key] == value, f"logmel {key} {params[key]!r} is not supported (the runtime computes {value!r})")
    _require(params["sampleRate"] > 0 and params["segmentSamples"] > 0, "logmel sampleRate and segmentSamples must be positive")
    _require(0 < params["winLength"] <= params["nFft"], "logmel winLength must be in 1..nFft")
    _require(params["hopLength"] > 0 and params["nMels"] > 0, "logmel hopLength and nMels must be positive")
    _require(params["dbMultiplier"] in (10, 20), "logmel dbMultiplier must be 10 (power) or 20 (amplitude)")
    _require(params["amin"] == 1e-10, "logmel amin must be 1e-10 (torchaudio's AmplitudeToDB)")
    _require(params["normScale"] != 0, "logmel normScale must not be 0")
    f_max = params.get("fMax")
    _require(f_max is None or params["fMin"] < f_max <= params["sampleRate"] / 2,
             f"logmel fMax {f_max} must be above fMin {params['fMin']} and at most sampleRate/2 = {params['sampleRate'] / 2:g}")
    return Recipe(LOGMEL, params)


def waveform(sample_rate=16000, samples=16000, normalization="zscore"):
    """Raw samples of the audio segment ending with the clip: the runtime resamples the source to
    `sample_rate` and takes the `samples` newest ones, left-zero padded, then normalises:
    "none" (samples in [-1, 1]), "zscore" ((x - mean) / sqrt(var + 1e-7) over the segment) or
    "peak" (x / max|x|; silence stays 0). Input [1, samples] (default) or [1, 1, samples]."""
    _require(sample_rate > 0 and samples > 0, "waveform sample_rate and samples must be positive")
    _require(normalization in WAVEFORM_NORMALIZATIONS,
             f"waveform normalization {normalization!r} is not one of {list(WAVEFORM_NORMALIZATIONS)}")
    return Recipe(WAVEFORM, {"sampleRate": sample_rate, "samples": samples, "padding": "left-zero",
                             "normalization": normalization})


def eda(**overrides):
    """Filtered, z-scored EDA segment ending with the clip. Parameters as the manifest spells them
    (sampleRate, segmentSamples, lowpassHz, filterOrder, unit, mean, std, validMin, validMax);
    defaults: the pain packs' recipe (64 Hz, 256 samples). Input [1, 1, segmentSamples]."""
    params = dict(export_packs.EDA)
    unknown = sorted(set(overrides) - set(params))
    _require(not unknown, f"eda: unknown parameter(s) {unknown}; known: {sorted(params)}")
    params.update(overrides)
    _require(params["sampleRate"] > 0 and params["segmentSamples"] > 0, "eda sampleRate and segmentSamples must be positive")
    _require(0 < params["lowpassHz"] < params["sampleRate"] / 2, "eda lowpassHz must be in (0, sampleRate/2)")
    _require(1 <= params["filterOrder"] <= 8, "eda filterOrder must be 1..8")
    _require(params["unit"] == "microsiemens", "eda unit must be 'microsiemens'")
    _require(params["std"] > 0 and params["validMin"] < params["validMax"], "eda std must be positive and validMin < validMax")
    return Recipe(EDA, params)


def logmel_frontend(p):
    """The torchaudio front end for a logmel parameter object (the parity reference)."""
    return LogMelFrontend(
        sample_rate=p["sampleRate"], n_fft=p["nFft"], win_length=p["winLength"], hop_length=p["hopLength"],
        n_mels=p["nMels"], f_min=float(p["fMin"]), f_max=None if p.get("fMax") is None else float(p["fMax"]),
        top_db=None if p.get("topDb") is None else float(p["topDb"]), norm_offset=p["normOffset"],
        norm_scale=p["normScale"], power=float(p["power"]), db_multiplier=float(p["dbMultiplier"]),
        center=bool(p["center"]),
    )


def logmel_parity_cases(p, seed):
    """Two waveform -> log-mel parity cases for golden.logmel: loud speech-like audio, and quiet
    audio with left-zero padding and a run of exact zeros. Returns [(waveform, logmel, description)]."""
    n, rate = p["segmentSamples"], p["sampleRate"]
    quiet_gap = (int(n * 0.4), int(n * 0.65))
    lead = int(n * 0.07)
    waves = [
        (synthetic.speech_like_waveform(seed, n, rate, rms=0.05),
         "harmonic chirp (f0 glide, syllable envelope) + white noise, RMS 0.05 of full scale"),
        (synthetic.speech_like_waveform(seed + 1, n, rate, rms=0.003, noise_rel=0.3, silence=quiet_gap, lead_zeros=lead),
         f"quiet (RMS 0.003) chirp + noise, first {lead} samples zero (left padding), "
         f"exact zeros at samples {quiet_gap[0]}-{quiet_gap[1] - 1}"),
    ]
    frontend = logmel_frontend(p)
    return [(w, frontend(torch.from_numpy(w)).numpy(), d) for w, d in waves]


def normalise_waveform(wave, normalization):
    """The runtime's waveform normalisation, in float64, returned as float32."""
    x = np.asarray(wave, dtype=np.float64)
    if normalization == "zscore":
        x = (x - x.mean()) / math.sqrt(x.var() + ZSCORE_EPS)
    elif normalization == "peak":
        peak = np.abs(x).max()
        x = x / peak if peak > 0 else x
    return x.astype(np.float32)


def _require(condition, message):
    if not condition:
        raise PackExportError(message)
