#!/usr/bin/env python3
"""Check model packs without ONNX Runtime (not available to Python here).

    /usr/bin/python3 models/export/verify_packs.py models/packs/affect-tiny models/packs/pain-tiny

For each pack (manifest schema version 1 or 2): the manifest's required fields and consistency
(version 2: streams, recipes, feature sizes per stream, fusion inputs by stream, score layouts,
imagination models; manifest_rules.py), every listed file's sha256 (and no unlisted file), each
ONNX model's inputs/outputs against the manifest, each golden array's shape against the tensor
it feeds or checks, the golden tolerances (positive; the optional `fp16Tolerance` not tighter
than `tolerance`), and, for packs with a log-mel stream, the log-mel parity cases recomputed by
an independent NumPy float64 implementation written only from the manifest's log-mel parameters
(the same recipe the C# front end follows) within `logmelTolerance`.
"""

import hashlib
import json
import math
import os
import sys

import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import manifest_rules as rules  # noqa: E402

TOP = {
    1: ["schemaVersion", "id", "version", "task", "description", "source", "modalities", "fusion",
        "outputs", "golden", "files"],
    2: ["schemaVersion", "id", "version", "task", "description", "source", "clipSpacingFrames", "modalities",
        "outputs", "golden", "files"],
}


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def io_spec(values, initialisers=()):
    out = {}
    for v in values:
        if v.name in initialisers:
            continue
        tt = v.type.tensor_type
        out[v.name] = (tt.elem_type, [d.dim_value for d in tt.shape.dim])
    return out


def want_spec(entries):
    return {e["name"]: (onnx.TensorProto.FLOAT, list(e["shape"])) for e in entries}


# ---------------------------------------------------------------- log-mel, from the manifest only


def hz_to_mel_htk(f):
    return 2595.0 * np.log10(1.0 + f / 700.0)


def mel_to_hz_htk(m):
    return 700.0 * (10.0 ** (m / 2595.0) - 1.0)


def mel_filterbank(a):
    """[nFft/2+1, nMels] triangular HTK filters, no area normalisation (torchaudio's layout)."""
    n_freqs = a["nFft"] // 2 + 1
    freqs = np.linspace(0.0, a["sampleRate"] // 2, n_freqs)
    mels = np.linspace(hz_to_mel_htk(float(a["fMin"])), hz_to_mel_htk(float(a["fMax"])), a["nMels"] + 2)
    pts = mel_to_hz_htk(mels)
    diff = pts[1:] - pts[:-1]
    slopes = pts[None, :] - freqs[:, None]
    down = -slopes[:, :-2] / diff[:-1]
    up = slopes[:, 2:] / diff[1:]
    return np.maximum(0.0, np.minimum(down, up))


def logmel(wave, a):
    """waveform [segmentSamples] -> normalised log-mel [1, nMels, frames], float64."""
    assert a["window"] == "hann" and a["center"] and a["padMode"] == "reflect"
    assert a["melScale"] == "htk" and a["melNorm"] == "none"
    n_fft, win, hop = a["nFft"], a["winLength"], a["hopLength"]
    x = np.asarray(wave, dtype=np.float64)
    x = np.pad(x, (n_fft // 2, n_fft // 2), mode="reflect")  # mirror without repeating the edge
    frames = 1 + (len(x) - n_fft) // hop
    n = np.arange(win)
    window = 0.5 - 0.5 * np.cos(2.0 * math.pi * n / win)  # periodic Hann of winLength
    left = (n_fft - win) // 2
    padded = np.zeros(n_fft)
    padded[left:left + win] = window  # centred in the nFft frame, zeros around
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    spec = np.fft.rfft(x[idx] * padded[None, :], axis=1)  # [frames, nFft/2+1]
    power = np.abs(spec) ** a["power"]
    mel = power @ mel_filterbank(a)  # [frames, nMels]
    db = a["dbMultiplier"] * np.log10(np.maximum(mel, a["amin"]))
    db = np.maximum(db, db.max() - a["topDb"])  # floor relative to the whole segment's max
    out = (db + a["normOffset"]) / a["normScale"]
    return out.T[None, :, :]


# ---------------------------------------------------------------- checks


def verify(pack):
    problems = []
    with open(os.path.join(pack, "manifest.json"), encoding="utf-8") as f:
        m = json.load(f)
    version = m.get("schemaVersion")
    if version not in TOP:
        return [f"manifest: schemaVersion {version!r} is not 1 or 2"]
    for k in TOP[version]:
        if k not in m:
            problems.append(f"manifest: missing {k}")
    if problems:
        return problems

    # files
    listed = m["files"]
    on_disk = set()
    for root, _, names in os.walk(pack):
        for name in names:
            rel = os.path.relpath(os.path.join(root, name), pack).replace(os.sep, "/")
            if rel != "manifest.json":
                on_disk.add(rel)
    for rel in sorted(on_disk - set(listed)):
        problems.append(f"files: {rel} is not listed")
    for rel, digest in sorted(listed.items()):
        if rel not in on_disk:
            problems.append(f"files: {rel} is missing")
        elif sha256(os.path.join(pack, rel)) != digest:
            problems.append(f"files: {rel} sha256 mismatch")

    # models
    streams = rules.streams_of(m)
    if version == 1:
        problems += check_v1(m)
    else:
        problems += check_v2(m, streams)
    tensors = {}  # (model, tensor) -> shape
    models = {}
    for s in streams:
        b = s["backbone"]
        models[s["name"]] = (b["file"], b["inputs"], b["outputs"])
        if s["imagination"]:
            im = s["imagination"]
            models[f"imagine.{s['name']}"] = (im["file"], im["inputs"], im["outputs"])
    if m.get("fusion"):
        fu = m["fusion"]
        models["fusion"] = (fu["file"], fu["inputs"], fu["outputs"])
    for name, (file, ins, outs) in models.items():
        proto = onnx.load(os.path.join(pack, file))
        onnx.checker.check_model(proto)
        inits = {i.name for i in proto.graph.initializer}
        if io_spec(proto.graph.input, inits) != want_spec(ins):
            problems.append(f"{file}: inputs differ from the manifest")
        if io_spec(proto.graph.output) != want_spec(outs):
            problems.append(f"{file}: outputs differ from the manifest")
        for e in ins + outs:
            tensors[(name, e["name"])] = e["shape"]

    # golden tolerances: fp16Tolerance is optional (the FP16 bound for TensorRT), else positive
    g = m["golden"]
    for key in ("tolerance", "fp16Tolerance", "logmelTolerance"):
        if key not in g:
            if key == "tolerance":
                problems.append("golden: missing tolerance")
            continue
        v = g[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
            problems.append(f"golden: {key} must be a positive number, got {v!r}")
    fp16 = g.get("fp16Tolerance")
    tol = g.get("tolerance")
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (fp16, tol)) and 0 < fp16 < tol:
        problems.append(f"golden: fp16Tolerance {fp16} is tighter than tolerance {tol}")

    # golden shapes
    for case in g["cases"]:
        if case["model"] not in models:
            problems.append(f"golden: case model {case['model']!r} is not a model of the pack ({sorted(models)})")
            continue
        for group in ("inputs", "outputs"):
            for tensor, rel in case[group].items():
                arr = np.load(os.path.join(pack, rel))
                want = tensors.get((case["model"], tensor))
                if arr.dtype != np.dtype("<f4") or list(arr.shape) != want:
                    problems.append(f"golden {rel}: {arr.dtype} {list(arr.shape)} != float32 {want}")

    # log-mel parity with an independent implementation
    mels = [s["params"] for s in streams if s["recipe"] == rules.LOGMEL]
    if mels:
        a = mels[0]
        if not g.get("logmel"):
            problems.append(f"golden: {'audio pack' if version == 1 else 'log-mel stream'} without logmel cases")
        for case in g.get("logmel", []):
            wave = np.load(os.path.join(pack, case["waveform"]))
            expected = np.load(os.path.join(pack, case["expected"]))
            if wave.shape != (a["segmentSamples"],):
                problems.append(f"{case['waveform']}: shape {wave.shape}")
            got = logmel(wave, a)
            err = float(np.abs(got - expected).max()) if got.shape == expected.shape else float("inf")
            print(f"  {m['id']} {case['expected']}: numpy float64 vs torchaudio max|diff| = {err:.2e}")
            if err > g["logmelTolerance"]:
                problems.append(f"{case['expected']}: log-mel differs by {err:.2e}")
    return problems


def check_v1(m):
    """Version 1: one backbone per modality, every feature [1, fusion.featureDim], fusion inputs by modality."""
    problems = []
    fu = m["fusion"]
    for mod in m["modalities"]:
        if mod["kind"] not in mod:
            problems.append(f"modality {mod['name']}: no '{mod['kind']}' block")
        if mod["backbone"]["outputs"][0]["shape"] != [1, fu["featureDim"]]:
            problems.append(f"modality {mod['name']}: feature shape != [1, featureDim]")
    if [i["modality"] for i in fu["inputs"]] != [mod["name"] for mod in m["modalities"]]:
        problems.append("fusion: inputs not in modality order")
    if [o["name"] for o in fu["outputs"]] != [o["name"] for o in m["outputs"]]:
        problems.append("fusion: output names != outputs[].name")
    for i in fu["inputs"]:
        if i["shape"] != [1, fu["window"], fu["featureDim"]]:
            problems.append(f"fusion: input {i['name']} shape != [1, window, featureDim]")
    return problems


def check_v2(m, streams):
    """Version 2: streams with their own recipe, backbone and feature size; optional fusion by
    stream; score layouts by timeAxis; imagination models (docs/model-pack.md)."""
    problems = []
    if not isinstance(m["clipSpacingFrames"], int) or m["clipSpacingFrames"] <= 0:
        problems.append("clipSpacingFrames: must be a positive integer")
    fu = m.get("fusion")
    names = [s["name"] for s in streams]
    by_name = {s["name"]: s for s in streams}
    for s in streams:
        where = f"stream {s['name']}"
        if not rules.NAME_PATTERN.match(s["name"]) or s["name"] == "fusion":
            problems.append(f"{where}: name is not ^[a-z][a-z0-9_]*$ (or is 'fusion')")
        if names.count(s["name"]) > 1:
            problems.append(f"{where}: name is not unique")
        if s["recipe"] not in rules.RECIPES_BY_KIND.get(s["kind"], ()):
            problems.append(f"{where}: recipe {s['recipe']!r} does not read {s['kind']} data")
            continue
        if s["params"] is None:
            problems.append(f"{where}: no '{s['recipe']}' parameters")
            continue
        if s["recipe"] == rules.WAVEFORM and s["params"].get("normalization") not in rules.WAVEFORM_NORMALIZATIONS:
            problems.append(f"{where}: waveform normalization is not one of {list(rules.WAVEFORM_NORMALIZATIONS)}")
        ins, outs = s["backbone"]["inputs"], s["backbone"]["outputs"]
        if len(ins) != 1 or ins[0]["shape"] not in rules.recipe_input_shapes(s["recipe"], s["params"]):
            problems.append(f"{where}: backbone input is not one of {rules.recipe_input_shapes(s['recipe'], s['params'])}")
        if fu is not None:
            d = s["featureDim"]
            if not isinstance(d, int) or d <= 0:
                problems.append(f"{where}: featureDim must be positive with fusion")
            elif len(outs) != 1 or outs[0]["shape"] != [1, d]:
                problems.append(f"{where}: backbone output is not one feature [1, {d}]")
        elif s["featureDim"] is not None or s["imagination"] is not None:
            problems.append(f"{where}: featureDim and imagination need a fusion head")
    for mod in m["modalities"]:
        substitute = mod["missing"]["substitute"]
        if substitute not in (rules.DEFAULT_SUBSTITUTE.get(mod["kind"]), "imagine"):
            problems.append(f"modality {mod['name']}: missing.substitute {substitute!r} does not fit kind {mod['kind']}")
        mine = [s for s in streams if s["modality"] == mod["name"]]
        if not mine:
            problems.append(f"modality {mod['name']}: no streams")
        if substitute == "imagine" and any(s["imagination"] is None for s in mine):
            problems.append(f"modality {mod['name']}: missing.substitute 'imagine' but a stream has no imagination")
    for s in streams:
        im = s["imagination"]
        if im is None:
            continue
        for i in im["inputs"]:
            src = by_name.get(i.get("stream"))
            if src is None or src["modality"] == s["modality"]:
                problems.append(f"stream {s['name']}: imagination input {i.get('stream')!r} is not a stream of another modality")
            elif i["shape"] != [1, src["featureDim"]]:
                problems.append(f"stream {s['name']}: imagination input {i['name']} is not [1, {src['featureDim']}]")
        if len(im["outputs"]) != 1 or im["outputs"][0]["shape"] != [1, s["featureDim"]]:
            problems.append(f"stream {s['name']}: imagination output is not one [1, {s['featureDim']}]")
    outputs = {o["name"]: o for o in m["outputs"]}
    if fu is not None:
        if "featureDim" in fu or "clipSpacingFrames" in fu:
            problems.append("fusion: featureDim and clipSpacingFrames are version 1 fields")
        if sorted(rules.feature_input_source(i) for i in fu["inputs"]) != sorted(names):
            problems.append("fusion: inputs do not name every stream exactly once")
        for i in fu["inputs"]:
            src = by_name.get(rules.feature_input_source(i))
            if src is not None and i["shape"] != [1, fu["window"], src["featureDim"]]:
                problems.append(f"fusion: input {i['name']} is not [1, window, featureDim of {src['name']}]")
        score, window, where = fu["outputs"], fu["window"], "fusion"
    else:
        if len(streams) != 1:
            problems.append("without fusion a pack has exactly one stream")
            return problems
        score, window, where = streams[0]["backbone"]["outputs"], None, f"stream {streams[0]['name']} backbone"
    if sorted(t["name"] for t in score) != sorted(outputs):
        problems.append(f"{where}: output names != outputs[].name")
    for t in score:
        o = outputs.get(t["name"])
        if o is not None:
            why = rules.score_layout_problem(t["shape"], t.get("timeAxis"), o["kind"], o.get("classes"), window)
            if why:
                problems.append(f"{where}: output {t['name']} {t['shape']}: {why}")
    return problems


def main(argv):
    failed = 0
    for pack in argv:
        problems = verify(pack)
        for p in problems:
            print(f"  {pack}: {p}")
        print(f"{'OK  ' if not problems else 'FAIL'} {pack}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["models/packs/affect-tiny", "models/packs/pain-tiny"]))
