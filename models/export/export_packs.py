#!/usr/bin/env python3
"""Write EdgeEmotion model packs (docs/model-pack.md is the format, this file the reference values).

    /usr/bin/python3 models/export/export_packs.py --out models/packs --sizes tiny full --tasks affect pain

Each pack `<task>-<size>/` gets its ONNX files (opset 17, static shapes, batch 1), golden
self-test vectors (`golden/*.npy`, float32) and `manifest.json`. Weights are synthetic:
PyTorch's default initialisation under fixed seeds, then BatchNorm running statistics
calibrated on seeded synthetic inputs of realistic scale so that activations are O(1).
Same seeds, same torch build, same thread count -> byte-identical files.
"""

import argparse
import copy
import hashlib
import io
import json
import math
import os
import shutil
import sys
import time

import numpy as np
import onnx
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from edgeemo_models import (  # noqa: E402
    AffectFusion,
    AudioResNet18,
    EdaCnn1d,
    LogMelFrontend,
    PainFusion,
    R2Plus1D18,
    R3D18,
)
from edgeemo_models import synthetic  # noqa: E402
from edgeemo_models.audio import BasicBlock2d  # noqa: E402
from edgeemo_models.video import VideoBasicBlock  # noqa: E402

SCHEMA_VERSION = 1
PACK_VERSION = "1.0.0"
OPSET = 17
SEED = 2024
THREADS = 2
TOLERANCE = 1e-4
# After BatchNorm calibration the last BN of every residual branch is scaled by this (see
# damp_residual_branches): random-weight BN-ReLU stacks amplify float32 rounding layer by layer,
# and undamped the R(2+1)D-18 feature differs from a float64 run by ~1e-4 (the golden
# tolerance); damped, by ~5e-6.
RESIDUAL_DAMPING = 0.5
LOGMEL_TOLERANCE = 1e-3
# golden.fp16Tolerance (used when TensorRT runs a model in FP16) = FP16_MARGIN x the worst max|diff|
# of fp16_emulation over the pack's models, rounded up to one significant digit, at least FP16_FLOOR.
FP16_MARGIN = 10.0
FP16_FLOOR = 1e-2

SIZES = {
    # base width of the backbones (feature D = 8 * base) and hidden width of the output heads
    "tiny": {"base": 8, "head_hidden": 16},
    "full": {"base": 64, "head_hidden": 128},
}

# Per-model seed offsets from SEED (weights), calibration data and golden inputs.
WEIGHT_SEED = {("affect", "visual"): 1, ("affect", "audio"): 2, ("affect", "fusion"): 3,
               ("pain", "visual"): 11, ("pain", "eda"): 12, ("pain", "fusion"): 13}
CALIB_OFFSET = 1000
GOLDEN_OFFSET = 2000

VIDEO_COMMON = {
    "width": 112,
    "height": 112,
    "pixelOrder": "RGB",
    "scale": 1.0 / 255.0,
    "mean": list(synthetic.VIDEO_MEAN),
    "std": list(synthetic.VIDEO_STD),
}

AUDIO = {
    "sampleRate": 44100,
    "segmentSamples": 45599,
    "padding": "left-zero",
    "nFft": 1024,
    "winLength": 882,
    "hopLength": 441,
    "window": "hann",
    "center": True,
    "padMode": "reflect",
    "nMels": 64,
    "fMin": 0,
    "fMax": 22050,
    "melScale": "htk",
    "melNorm": "none",
    "power": 2.0,
    "dbMultiplier": 10.0,
    "topDb": 80,
    "amin": 1e-10,
    "normOffset": 14.8,
    "normScale": 19.895,
}
LOGMEL_FRAMES = 1 + AUDIO["segmentSamples"] // AUDIO["hopLength"]  # 104

EDA = {
    "sampleRate": 64,
    "segmentSamples": 256,
    "lowpassHz": 3.0,
    "filterOrder": 2,
    "unit": "microsiemens",
    "mean": 5.0,
    "std": 4.0,
    "validMin": 0.05,
    "validMax": 60.0,
}

TASKS = {
    "affect": {
        "description": "Valence/arousal from face video and voice: R(2+1)D-18 + ResNet18 log-mel + JMT fusion",
        "visual": {"frameRate": 30, "clipFrames": 8, "dilation": 4},
        "other": "audio",
        "window": 16,
        "clipSpacingFrames": 32,
        # AffWild2's cropped_aligned frames: 5 points onto ArcFace's 112x112 template, no margin
        # (shared MODEL_CARD "Faces"); the runtime's defaults are that template.
        "face": {"detector": "tinyFaceDetector", "crop": "aligned"},
    },
    "pain": {
        "description": "Heat pain from face video and EDA: R3D-18 + 1D CNN + JMT fusion",
        "visual": {"frameRate": 25, "clipFrames": 8, "dilation": 2},
        "other": "eda",
        "window": 5,
        "clipSpacingFrames": 16,
        # BioVid faces: MTCNN's 5 points aligned to the same ArcFace template.
        "face": {"detector": "tinyFaceDetector", "crop": "aligned"},
    },
}

PAIN_CLASSES = ["BL1 no pain", "PA1", "PA2", "PA3", "PA4"]

CLIP_SHAPE = [1, 3, 8, 112, 112]
LOGMEL_SHAPE = [1, 1, AUDIO["nMels"], LOGMEL_FRAMES]
EDA_SHAPE = [1, 1, EDA["segmentSamples"]]


# ----------------------------------------------------------------------------------------
# helpers


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save_npy(pack_dir, rel, array):
    array = np.ascontiguousarray(np.asarray(array, dtype="<f4"))
    path = os.path.join(pack_dir, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, array, allow_pickle=False)
    return rel


@torch.no_grad()
def calibrate_batchnorm(model, batches):
    """Reset every BatchNorm's running stats and re-estimate them as the plain average over
    `batches` (momentum None) of train-mode batch statistics; leave the model in eval mode."""
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    saved = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    for x in batches:
        model(x)
    for m, mom in zip(bns, saved):
        m.momentum = mom
    model.eval()
    return model


@torch.no_grad()
def damp_residual_branches(model, alpha=RESIDUAL_DAMPING):
    """Scale the output BatchNorm (weight and bias) of every residual branch by `alpha`, so each
    block is closer to the identity. Keeps activations O(1) and the network far less sensitive
    to rounding, which is what makes a 1e-4 golden tolerance hold with margin."""
    for m in model.modules():
        if isinstance(m, VideoBasicBlock):
            bn = m.conv2[1]
        elif isinstance(m, BasicBlock2d):
            bn = m.bn2
        else:
            continue
        bn.weight.mul_(alpha)
        bn.bias.mul_(alpha)
    return model


ONNX_FLOAT = onnx.TensorProto.FLOAT


def check_onnx_io(model_proto, inputs, outputs, path):
    """Assert the graph's inputs/outputs (names, float32, static dims) equal the manifest's."""

    def spec(values):
        got = []
        for v in values:
            tt = v.type.tensor_type
            dims = []
            for d in tt.shape.dim:
                if not d.HasField("dim_value"):
                    raise AssertionError(f"{path}: {v.name} has a non-static dim")
                dims.append(int(d.dim_value))
            got.append((v.name, tt.elem_type, dims))
        return got

    initialisers = {i.name for i in model_proto.graph.initializer}
    got_in = spec([v for v in model_proto.graph.input if v.name not in initialisers])
    got_out = spec(model_proto.graph.output)
    want_in = [(x["name"], ONNX_FLOAT, x["shape"]) for x in inputs]
    want_out = [(x["name"], ONNX_FLOAT, x["shape"]) for x in outputs]
    if got_in != want_in:
        raise AssertionError(f"{path}: inputs {got_in} != manifest {want_in}")
    if got_out != want_out:
        raise AssertionError(f"{path}: outputs {got_out} != manifest {want_out}")


def export_onnx(model, args, input_names, output_names, pack_dir, rel, manifest_inputs, manifest_outputs):
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(
            model,
            args,
            buf,
            export_params=True,
            opset_version=OPSET,
            do_constant_folding=True,
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=None,
            training=torch.onnx.TrainingMode.EVAL,
        )
    data = buf.getvalue()
    proto = onnx.load_from_string(data)
    onnx.checker.check_model(proto, full_check=True)
    check_onnx_io(proto, manifest_inputs, manifest_outputs, rel)
    with open(os.path.join(pack_dir, rel), "wb") as f:
        f.write(data)
    return proto


@torch.no_grad()
def golden_forward(name, model, *inputs):
    """The float32 outputs for the golden file, plus a guard: the same weights in float64 must
    agree to well within the tolerance, else the case would be too fragile for ONNX Runtime."""
    out = model(*inputs)
    out = out if isinstance(out, tuple) else (out,)
    ref = copy.deepcopy(model).double()(*[x.double() for x in inputs])
    ref = ref if isinstance(ref, tuple) else (ref,)
    err = max((o.double() - r).abs().max().item() for o, r in zip(out, ref))
    print(f"    {name:>7s} float32 vs float64 max|diff| = {err:.1e}")
    if err > TOLERANCE / 5:
        raise AssertionError(f"{name}: float32 rounding {err:.1e} is too close to the tolerance {TOLERANCE}")
    return out


def _to_fp16_and_back(x):
    if isinstance(x, torch.Tensor) and x.is_floating_point():
        return x.half().float()
    if isinstance(x, tuple):
        return tuple(_to_fp16_and_back(t) for t in x)
    if isinstance(x, list):
        return [_to_fp16_and_back(t) for t in x]
    return x


@torch.no_grad()
def fp16_emulation(name, model, inputs, outputs):
    """Max |diff| between the float32 golden `outputs` and an FP16 emulation of `model` on the
    same `inputs`: a deep copy whose parameters and buffers are rounded to float16 and back, with
    the model input and every leaf module's output rounded likewise (forward hooks). Arithmetic
    inside a layer stays float32, so this approximates TensorRT FP16 (FP16 storage between layers)
    rather than reproducing it; it only sizes golden.fp16Tolerance."""
    emu = copy.deepcopy(model).half().float().eval()
    hooks = [m.register_forward_hook(lambda _m, _i, out: _to_fp16_and_back(out))
             for m in emu.modules() if next(m.children(), None) is None]
    try:
        got = emu(*[_to_fp16_and_back(x) for x in inputs])
    finally:
        for h in hooks:
            h.remove()
    got = got if isinstance(got, tuple) else (got,)
    err = max((g.double() - o.double()).abs().max().item() for g, o in zip(got, outputs))
    print(f"    {name:>7s} fp16 emulation vs float32 max|diff| = {err:.2e}")
    return err


def fp16_tolerance(errors):
    """FP16_MARGIN x max(errors), rounded up to one significant digit, floor FP16_FLOOR."""
    worst = FP16_MARGIN * max(errors.values())
    if not math.isfinite(worst):
        raise AssertionError(f"fp16 emulation errors {errors}")
    tol = FP16_FLOOR
    if worst > FP16_FLOOR:
        exp = math.floor(math.log10(worst))
        digit = math.ceil(worst / 10.0 ** exp - 1e-9)  # 1e-9: 0.3 stays 0.3, not 0.4
        if digit >= 10:
            digit, exp = 1, exp + 1
        tol = max(FP16_FLOOR, float(f"{digit}e{exp}"))
    print(f"    golden.fp16Tolerance = {tol:g} ({FP16_MARGIN:g} x worst {max(errors.values()):.2e}, "
          f"floor {FP16_FLOOR:g})")
    return tol


def magnitudes(name, arrays):
    for key, a in arrays.items():
        a = np.asarray(a)
        print(f"    {name:>7s} {key:<18s} shape={list(a.shape)!s:<18s} mean|x|={np.abs(a).mean():.4f} "
              f"max|x|={np.abs(a).max():.4f}")


# ----------------------------------------------------------------------------------------
# models


def new_model(task, role, size, window=None):
    """One model of a pack as PyTorch initialises it under the current seed: role "visual",
    "audio", "eda" or "fusion" (window: clips per fusion call, default the task's). The build_*
    functions seed, calibrate and damp it; flops.py counts its operations."""
    base = SIZES[size]["base"]
    if role == "visual":
        return R2Plus1D18(base) if task == "affect" else R3D18(base)
    if role == "audio":
        return AudioResNet18(base)
    if role == "eda":
        return EdaCnn1d(base)
    if role == "fusion":
        dim = 8 * base  # the backbones' feature size (width of their last stage)
        window = window or TASKS[task]["window"]
        hidden = SIZES[size]["head_hidden"]
        return AffectFusion(dim, window, hidden) if task == "affect" else PainFusion(dim, window, hidden)
    raise ValueError(f"unknown model role {role!r}")


def build_visual(task, size):
    torch.manual_seed(SEED + WEIGHT_SEED[(task, "visual")])
    model = new_model(task, "visual", size)
    cal = SEED + CALIB_OFFSET + WEIGHT_SEED[(task, "visual")]
    batches = [synthetic.video_clips(cal + i, batch=2) for i in range(4)]
    return damp_residual_branches(calibrate_batchnorm(model, batches))


def logmel_waveforms():
    """The two parity waveforms (also the source of the audio golden input)."""
    n = AUDIO["segmentSamples"]
    speech = synthetic.speech_like_waveform(SEED + GOLDEN_OFFSET + 50, n, AUDIO["sampleRate"], rms=0.05)
    quiet = synthetic.speech_like_waveform(SEED + GOLDEN_OFFSET + 51, n, AUDIO["sampleRate"], rms=0.003,
                                           noise_rel=0.3, silence=(18000, 30000), lead_zeros=3000)
    return [
        (speech, "harmonic chirp (f0 glide, syllable envelope) + white noise, RMS 0.05 of full scale"),
        (quiet, "quiet (RMS 0.003) chirp + noise, first 3000 samples zero (left padding), "
                "exact zeros at samples 18000-29999"),
    ]


def build_audio(size, frontend):
    torch.manual_seed(SEED + WEIGHT_SEED[("affect", "audio")])
    model = new_model("affect", "audio", size)
    cal = SEED + CALIB_OFFSET + WEIGHT_SEED[("affect", "audio")]
    n = AUDIO["segmentSamples"]
    batches = []
    for i in range(2):
        mels = []
        for j in range(8):
            seed = cal + 10 * i + j
            rms = [0.1, 0.05, 0.02, 0.01, 0.005, 0.03, 0.002, 0.07][j]
            silence = (20000, 32000) if j % 3 == 2 else None
            lead = 5000 if j % 4 == 3 else 0
            w = synthetic.speech_like_waveform(seed, n, AUDIO["sampleRate"], rms=rms, silence=silence,
                                               lead_zeros=lead)
            mels.append(frontend(torch.from_numpy(w)))
        batches.append(torch.stack(mels))  # [8, 1, 64, 104]
    return damp_residual_branches(calibrate_batchnorm(model, batches))


def build_eda(size):
    torch.manual_seed(SEED + WEIGHT_SEED[("pain", "eda")])
    model = new_model("pain", "eda", size)
    cal = SEED + CALIB_OFFSET + WEIGHT_SEED[("pain", "eda")]
    batches = [synthetic.eda_segments(cal + i, batch=32) for i in range(4)]
    return calibrate_batchnorm(model, batches)


def build_fusion(task, size, dim):
    torch.manual_seed(SEED + WEIGHT_SEED[(task, "fusion")])
    model = new_model(task, "fusion", size)
    if model.jmt.dim != dim:
        raise AssertionError(f"fusion width {model.jmt.dim} != backbone feature size {dim}")
    return model.eval()


# ----------------------------------------------------------------------------------------
# packs


def io_entry(name, shape, layout=None):
    e = {"name": name, "elementType": "float32"}
    if layout is not None:
        e["layout"] = layout
    e["shape"] = list(shape)
    return e


def write_pack(task, size, out_root):
    t0 = time.time()
    cfg = TASKS[task]
    pack_id = f"{task}-{size}"
    pack_dir = os.path.join(out_root, pack_id)
    if os.path.isdir(pack_dir):
        shutil.rmtree(pack_dir)
    os.makedirs(os.path.join(pack_dir, "golden"))
    print(f"[{pack_id}]")

    other = cfg["other"]
    window = cfg["window"]
    cases = []
    golden_out = {}

    # --- visual backbone
    visual = build_visual(task, size)
    dim = visual.feature_dim
    clip = synthetic.video_clips(SEED + GOLDEN_OFFSET + WEIGHT_SEED[(task, "visual")], batch=1)
    (vfeat,) = golden_forward("visual", visual, clip)
    fp16_errors = {"visual": fp16_emulation("visual", visual, (clip,), (vfeat,))}
    v_in = [io_entry("clip", CLIP_SHAPE, "NCTHW")]
    v_out = [io_entry("feature", [1, dim])]
    export_onnx(visual, (clip,), ["clip"], ["feature"], pack_dir, "visual_backbone.onnx", v_in, v_out)
    cases.append({
        "model": "visual",
        "inputs": {"clip": save_npy(pack_dir, "golden/visual_clip.npy", clip.numpy())},
        "outputs": {"feature": save_npy(pack_dir, "golden/visual_feature.npy", vfeat.numpy())},
    })
    magnitudes("visual", {"clip": clip.numpy(), "feature": vfeat.numpy()})
    del visual

    vcfg = cfg["visual"]
    video_block = {
        "frameRate": vcfg["frameRate"],
        "clipFrames": vcfg["clipFrames"],
        "dilation": vcfg["dilation"],
        "spanFrames": vcfg["clipFrames"] * vcfg["dilation"],
        **VIDEO_COMMON,
        "face": cfg["face"],
    }
    modalities = [{
        "name": "visual",
        "kind": "video",
        "backbone": {"file": "visual_backbone.onnx", "inputs": v_in, "outputs": v_out},
        "video": video_block,
        "missing": {"substitute": "black"},
    }]

    # --- second modality
    logmel_cases = None
    if other == "audio":
        frontend = LogMelFrontend(
            sample_rate=AUDIO["sampleRate"], n_fft=AUDIO["nFft"], win_length=AUDIO["winLength"],
            hop_length=AUDIO["hopLength"], n_mels=AUDIO["nMels"], f_min=float(AUDIO["fMin"]),
            f_max=float(AUDIO["fMax"]), top_db=float(AUDIO["topDb"]),
            norm_offset=AUDIO["normOffset"], norm_scale=AUDIO["normScale"],
        )
        logmel_cases = []
        mels = []
        for i, (wave, desc) in enumerate(logmel_waveforms()):
            mel = frontend(torch.from_numpy(wave))
            assert list(mel.shape) == [1, AUDIO["nMels"], LOGMEL_FRAMES], mel.shape
            mels.append(mel)
            logmel_cases.append({
                "waveform": save_npy(pack_dir, f"golden/logmel_{i}_waveform.npy", wave),
                "sampleRate": AUDIO["sampleRate"],
                "expected": save_npy(pack_dir, f"golden/logmel_{i}_expected.npy", mel.numpy()),
                "description": desc,
            })
            magnitudes("logmel", {f"wave{i}": wave, f"mel{i}": mel.numpy()})
        model = build_audio(size, frontend)
        x = mels[0].unsqueeze(0).contiguous()  # [1, 1, 64, 104]
        in_name, layout, shape, block = "logmel", "NCHW", LOGMEL_SHAPE, ("audio", dict(AUDIO))
        missing = {"substitute": "silence"}
    else:
        model = build_eda(size)
        x = synthetic.eda_segments(SEED + GOLDEN_OFFSET + WEIGHT_SEED[(task, "eda")], batch=1)
        in_name, layout, shape, block = "eda", "NCL", EDA_SHAPE, ("eda", dict(EDA))
        missing = {"substitute": "neutral", "value": EDA["mean"]}
    assert model.feature_dim == dim
    (ofeat,) = golden_forward(other, model, x)
    fp16_errors[other] = fp16_emulation(other, model, (x,), (ofeat,))
    o_in = [io_entry(in_name, shape, layout)]
    o_out = [io_entry("feature", [1, dim])]
    export_onnx(model, (x,), [in_name], ["feature"], pack_dir, f"{other}_backbone.onnx", o_in, o_out)
    cases.append({
        "model": other,
        "inputs": {in_name: save_npy(pack_dir, f"golden/{other}_{in_name}.npy", x.numpy())},
        "outputs": {"feature": save_npy(pack_dir, f"golden/{other}_feature.npy", ofeat.numpy())},
    })
    magnitudes(other, {in_name: x.numpy(), "feature": ofeat.numpy()})
    del model
    modalities.append({
        "name": other,
        "kind": other,
        "backbone": {"file": f"{other}_backbone.onnx", "inputs": o_in, "outputs": o_out},
        block[0]: block[1],
        "missing": missing,
    })

    # --- fusion
    fusion = build_fusion(task, size, dim)
    fv = synthetic.fusion_features(SEED + GOLDEN_OFFSET + 100 + WEIGHT_SEED[(task, "fusion")], window, dim)
    fo = synthetic.fusion_features(SEED + GOLDEN_OFFSET + 200 + WEIGHT_SEED[(task, "fusion")], window, dim)
    results = golden_forward("fusion", fusion, fv, fo)
    fp16_errors["fusion"] = fp16_emulation("fusion", fusion, (fv, fo), results)
    if task == "affect":
        out_names = ["valence", "arousal"]
        out_shapes = [[1, window], [1, window]]
        outputs = [
            {"name": "valence", "kind": "regression",
             "meaning": "Valence: how pleasant the expressed emotion is, -1 negative to +1 positive",
             "min": -1.0, "max": 1.0, "smoothingFrames": 20},
            {"name": "arousal", "kind": "regression",
             "meaning": "Arousal: how activated the expressed emotion is, -1 calm to +1 excited",
             "min": -1.0, "max": 1.0, "smoothingFrames": 50},
        ]
    else:
        # The level output's tensor holds logits (kind classLogits); its score is the level itself.
        out_names = ["pain_probability", "pain_level"]
        out_shapes = [[1, window], [1, window, len(PAIN_CLASSES)]]
        outputs = [
            {"name": "pain_probability", "kind": "probability",
             "meaning": "Probability that the person is in pain (any of PA1-PA4 rather than BL1)",
             "min": 0.0, "max": 1.0},
            {"name": "pain_level", "kind": "classLogits",
             "meaning": "Pain level: BL1 (no pain) or heat pain PA1 (threshold) to PA4 (tolerance)",
             "classes": list(PAIN_CLASSES)},
        ]
    for r, s in zip(results, out_shapes):
        assert list(r.shape) == s, (r.shape, s)
    f_in_names = ["visual_features", f"{other}_features"]
    f_in = [
        {"modality": "visual", **io_entry("visual_features", [1, window, dim])},
        {"modality": other, **io_entry(f"{other}_features", [1, window, dim])},
    ]
    f_out = [io_entry(n, s) for n, s in zip(out_names, out_shapes)]
    export_onnx(fusion, (fv, fo), f_in_names, out_names, pack_dir, "fusion.onnx", f_in, f_out)
    cases.append({
        "model": "fusion",
        "inputs": {
            "visual_features": save_npy(pack_dir, "golden/fusion_visual_features.npy", fv.numpy()),
            f"{other}_features": save_npy(pack_dir, f"golden/fusion_{other}_features.npy", fo.numpy()),
        },
        "outputs": {n: save_npy(pack_dir, f"golden/fusion_{n}.npy", r.numpy()) for n, r in zip(out_names, results)},
    })
    magnitudes("fusion", {n: r.numpy() for n, r in zip(out_names, results)})

    golden = {"tolerance": TOLERANCE, "fp16Tolerance": fp16_tolerance(fp16_errors), "cases": cases}
    if logmel_cases is not None:
        golden["logmel"] = logmel_cases
        golden["logmelTolerance"] = LOGMEL_TOLERANCE

    files = {}
    for root, _, names in os.walk(pack_dir):
        for name in names:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, pack_dir).replace(os.sep, "/")
            if rel != "manifest.json":
                files[rel] = sha256_file(path)

    manifest = {
        "schemaVersion": SCHEMA_VERSION,
        "id": pack_id,
        "version": PACK_VERSION,
        "task": task,
        "description": f"{cfg['description']} ({size} widths, synthetic weights: for pipeline tests, not predictions)",
        "source": {
            "exporter": "models/export/export_packs.py",
            "torch": torch.__version__,
            "seed": SEED,
            "weights": "synthetic",
        },
        "modalities": modalities,
        "fusion": {
            "file": "fusion.onnx",
            "inputs": f_in,
            "outputs": f_out,
            "window": window,
            "clipSpacingFrames": cfg["clipSpacingFrames"],
            "featureDim": dim,
        },
        "outputs": outputs,
        "golden": golden,
        "files": dict(sorted(files.items())),
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=True, allow_nan=False)
    with open(os.path.join(pack_dir, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(text + "\n")
    total = sum(os.path.getsize(os.path.join(pack_dir, p)) for p in files) + len(text) + 1
    print(f"  wrote {pack_dir}: {len(files) + 1} files, {total / 1e6:.2f} MB, {time.time() - t0:.1f} s")
    return pack_dir


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "packs"),
                    help="output folder (default: models/packs)")
    ap.add_argument("--sizes", nargs="+", choices=sorted(SIZES), default=["tiny", "full"])
    ap.add_argument("--tasks", nargs="+", choices=sorted(TASKS), default=["affect", "pain"])
    ap.add_argument("--threads", type=int, default=THREADS,
                    help="torch CPU threads (keep the default for byte-identical output)")
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(False)
    out = os.path.normpath(args.out)
    os.makedirs(out, exist_ok=True)
    t0 = time.time()
    for size in args.sizes:
        for task in args.tasks:
            write_pack(task, size, out)
    print(f"done in {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
