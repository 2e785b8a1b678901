#!/usr/bin/env python3
"""Tiny schema-version-2 packs for the manifest tests, with shapes the v1 packs cannot have.

    /usr/bin/python3 tests/Shared/make_v2_packs.py OUT

OUT/two-audio: a one-image face stream, a log-mel and a waveform audio stream (feature sizes
16, 16, 24), an imagination model per audio stream (from the face feature, substitute
"imagine"), a fusion head with window 4 and outputs [S, 1] (timeAxis 0).
OUT/solo-visual: one face-clip stream and no fusion: its backbone gives valence window-level
[1, 1] and arousal [1, 3, 1] (timeAxis 1, three positions of its own).
Seeded random weights, ONNX opset 17, goldens from PyTorch; takes seconds.
"""

import hashlib
import json
import os
import sys

import numpy as np
import torch
from torch import nn

OPSET = 17
F32 = "float32"


class ImageNet(nn.Module):
    """[1, 3, 32, 32] face image (or [1, 3, T, 32, 32] clip, frames averaged) to `out` values."""

    def __init__(self, out):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, stride=2)
        self.fc = nn.Linear(4, out)

    def forward(self, x):
        if x.dim() == 5:
            x = x.mean(dim=2)
        return self.fc(torch.relu(self.conv(x)).mean(dim=(2, 3)))


class SpectrogramNet(nn.Module):
    def __init__(self, out):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.fc = nn.Linear(4, out)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).mean(dim=(2, 3)))


class WaveNet(nn.Module):
    def __init__(self, out):
        super().__init__()
        self.conv = nn.Conv1d(1, 4, 16, stride=8)
        self.fc = nn.Linear(4, out)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).mean(dim=2))


class Fusion(nn.Module):
    """Three [1, S, d] feature sequences to valence and arousal as [S, 1] each."""

    def __init__(self, dims):
        super().__init__()
        self.fc = nn.Linear(sum(dims), 2)

    def forward(self, a, b, c):
        y = torch.tanh(self.fc(torch.cat([a, b, c], dim=2)))[0]
        return y[:, 0:1], y[:, 1:2]


class SoloHead(nn.Module):
    """A clip to valence [1, 1] and arousal over three positions [1, 3, 1]."""

    def __init__(self):
        super().__init__()
        self.body = ImageNet(4)

    def forward(self, x):
        y = torch.tanh(self.body(x))
        return y[:, 0:1], y[:, 1:4].unsqueeze(2)


def tensor(name, shape, **extra):
    return {"name": name, "elementType": F32, "shape": list(shape), **extra}


def export(pack, model, name, inputs, outputs, golden_name, cases):
    """Exports `model` to `name`.onnx, runs it on `inputs` ({tensor: array}) and records the golden case."""
    path = os.path.join(pack, f"{name}.onnx")
    args = tuple(torch.from_numpy(a) for a in inputs.values())
    model.eval()
    with torch.no_grad():
        torch.onnx.export(model, args, path, input_names=list(inputs), output_names=outputs, opset_version=OPSET)
        results = model(*args)
    results = results if isinstance(results, tuple) else (results,)
    case = {"model": golden_name, "inputs": {}, "outputs": {}}
    for side, arrays in (("inputs", inputs.items()), ("outputs", zip(outputs, (r.numpy() for r in results)))):
        for tensor_name, array in arrays:
            relative = f"golden/{name}_{tensor_name}.npy"
            np.save(os.path.join(pack, relative), np.ascontiguousarray(array, dtype=np.float32))
            case[side][tensor_name] = relative
    cases.append(case)


def face_clip(clip_frames, dilation):
    return {"frameRate": 30, "clipFrames": clip_frames, "dilation": dilation, "spanFrames": clip_frames * dilation,
            "width": 32, "height": 32, "pixelOrder": "RGB", "scale": 1 / 255,
            "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}


LOGMEL = {"sampleRate": 16000, "segmentSamples": 4000, "padding": "left-zero", "nFft": 256, "winLength": 256,
          "hopLength": 128, "window": "hann", "center": True, "padMode": "reflect", "nMels": 16, "fMin": 0,
          "melScale": "htk", "melNorm": "none", "power": 2.0, "dbMultiplier": 10.0, "amin": 1e-10,
          "normOffset": 0.0, "normScale": 20.0}


def finish(pack, manifest):
    files = {}
    for root, _, names in os.walk(pack):
        for n in names:
            full = os.path.join(root, n)
            with open(full, "rb") as f:
                files[os.path.relpath(full, pack).replace(os.sep, "/")] = hashlib.sha256(f.read()).hexdigest()
    manifest["files"] = dict(sorted(files.items()))
    with open(os.path.join(pack, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


def rand(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def two_audio(out, rng):
    pack = os.path.join(out, "two-audio")
    os.makedirs(os.path.join(pack, "golden"))
    window, dims = 4, {"visual": 16, "audio_logmel": 16, "audio_wave": 24}
    frames = 1 + LOGMEL["segmentSamples"] // LOGMEL["hopLength"]
    cases = []
    export(pack, ImageNet(16), "visual", {"face": rand(rng, 1, 3, 32, 32)}, ["feature"], "visual", cases)
    export(pack, SpectrogramNet(16), "audio_logmel", {"logmel": rand(rng, 1, 1, 16, frames)}, ["feature"], "audio_logmel", cases)
    export(pack, WaveNet(24), "audio_wave", {"waveform": rand(rng, 1, 1, 2000)}, ["feature"], "audio_wave", cases)
    for stream in ("audio_logmel", "audio_wave"):
        export(pack, nn.Linear(16, dims[stream]), f"imagine_{stream}", {"visual_feature": rand(rng, 1, 16)},
               [f"{stream}_feature"], f"imagine.{stream}", cases)
    export(pack, Fusion(list(dims.values())), "fusion",
           {f"{s}_features": rand(rng, 1, window, d) for s, d in dims.items()}, ["valence", "arousal"], "fusion", cases)

    def imagination(stream):
        return {"file": f"imagine_{stream}.onnx",
                "inputs": [{"stream": "visual", **tensor("visual_feature", [1, 16])}],
                "outputs": [tensor(f"{stream}_feature", [1, dims[stream]])]}

    finish(pack, {
        "schemaVersion": 2, "id": "two-audio", "version": "1.0.0", "task": "affect",
        "description": "Test pack: one face image, log-mel and waveform audio streams, audio imagination, [S, 1] outputs",
        "clipSpacingFrames": 4,
        "modalities": [
            {"name": "visual", "kind": "video", "streams": [
                {"name": "visual", "recipe": "faceClip", "featureDim": 16, "faceClip": face_clip(1, 4),
                 "backbone": {"file": "visual.onnx", "inputs": [tensor("face", [1, 3, 32, 32])], "outputs": [tensor("feature", [1, 16])]}}],
             "missing": {"substitute": "black"}},
            {"name": "audio", "kind": "audio", "streams": [
                {"name": "audio_logmel", "recipe": "logmel", "featureDim": 16, "logmel": LOGMEL,
                 "backbone": {"file": "audio_logmel.onnx", "inputs": [tensor("logmel", [1, 1, 16, frames])], "outputs": [tensor("feature", [1, 16])]},
                 "imagination": imagination("audio_logmel")},
                {"name": "audio_wave", "recipe": "waveform", "featureDim": 24,
                 "waveform": {"sampleRate": 8000, "samples": 2000, "padding": "left-zero", "normalization": "zscore"},
                 "backbone": {"file": "audio_wave.onnx", "inputs": [tensor("waveform", [1, 1, 2000])], "outputs": [tensor("feature", [1, 24])]},
                 "imagination": imagination("audio_wave")}],
             "missing": {"substitute": "imagine"}},
        ],
        "fusion": {"file": "fusion.onnx", "window": window,
                   "inputs": [{"stream": s, **tensor(f"{s}_features", [1, window, d])} for s, d in dims.items()],
                   "outputs": [tensor("valence", [window, 1], timeAxis=0), tensor("arousal", [window, 1], timeAxis=0)]},
        "outputs": [{"name": "valence", "kind": "regression", "min": -1.0, "max": 1.0},
                    {"name": "arousal", "kind": "regression", "min": -1.0, "max": 1.0}],
        "golden": {"tolerance": 1e-4, "cases": cases},
    })


def solo_visual(out, rng):
    pack = os.path.join(out, "solo-visual")
    os.makedirs(os.path.join(pack, "golden"))
    cases = []
    export(pack, SoloHead(), "visual", {"clip": rand(rng, 1, 3, 2, 32, 32)}, ["valence", "arousal"], "visual", cases)
    finish(pack, {
        "schemaVersion": 2, "id": "solo-visual", "version": "1.0.0", "task": "affect",
        "description": "Test pack: one face-clip stream whose backbone gives the scores (no fusion)",
        "clipSpacingFrames": 4,
        "modalities": [
            {"name": "visual", "kind": "video", "streams": [
                {"name": "visual", "recipe": "faceClip", "faceClip": face_clip(2, 2),
                 "backbone": {"file": "visual.onnx", "inputs": [tensor("clip", [1, 3, 2, 32, 32])],
                              "outputs": [tensor("valence", [1, 1]), tensor("arousal", [1, 3, 1], timeAxis=1)]}}],
             "missing": {"substitute": "black"}},
        ],
        "outputs": [{"name": "valence", "kind": "regression", "min": -1.0, "max": 1.0},
                    {"name": "arousal", "kind": "regression", "min": -1.0, "max": 1.0}],
        "golden": {"tolerance": 1e-4, "cases": cases},
    })


def main():
    torch.manual_seed(14)
    torch.set_num_threads(1)
    rng = np.random.default_rng(14)
    two_audio(sys.argv[1], rng)
    solo_visual(sys.argv[1], rng)


if __name__ == "__main__":
    main()
