"""Bring your own PyTorch model to EdgeEmotion: export it as an import-ready pack folder (manifest v2).

Call `export_pack` from your own training code with your own `nn.Module`s, then let the CLI
check it against ONNX Runtime and seal it:

    import sys; sys.path.insert(0, "<repo>/models/export")
    from edgeemo_import import Fusion, Modality, Output, Stream, export_pack, face_clip, logmel, waveform

    export_pack(
        "build/my-pack", pack_id="my-affect", version="1.0.0", task="affect",
        description="JMT head on R(2+1)D + ResNet18 log-mel + wav2vec-style waveform encoder",
        clip_spacing_frames=32,
        modalities=[
            Modality("visual", "video", [Stream("visual", face_clip(), visual_net)]),
            Modality("audio", "audio", [Stream("audio_logmel", logmel(), mel_net),
                                        Stream("audio_wave", waveform(16000, 16000), wave_net)]),
        ],
        fusion=Fusion(head, inputs=["visual", "audio_logmel", "audio_wave"], window=16),
        outputs=[Output("valence", "regression", "Valence, -1 to 1", min=-1, max=1, time_axis=0),
                 Output("arousal", "regression", "Arousal, -1 to 1", min=-1, max=1, time_axis=0)],
    )

    ./bin/edgeemo models import build/my-pack --out models/packs/my-affect
    ./bin/edgeemo models verify models/packs/my-affect

What it does, in order (nothing is written until every check has passed):
1. checks the declaration: names (^[a-z][a-z0-9_]*$, unique), recipes per modality kind, fusion
   inputs naming every stream once, imagination inputs from other modalities, output kinds;
2. checks every module is in eval mode, then runs it in PyTorch on deterministic sample inputs:
   a backbone on a realistic input of its recipe's shape (face-like pixels normalised as the
   runtime does, speech-like audio through the recipe's front end, skin-conductance curves),
   the fusion head on the backbones' features of `window` such inputs, an imagination model on
   its source streams' features; checks the returned tensors against the declared names, the
   feature sizes against the fusion inputs, and the score tensors against the output layouts;
3. checks float32 against float64 rounding (the golden tolerance must hold on another runtime);
4. exports every module to ONNX (opset 17, fixed shapes, batch 1) and checks each graph's inputs
   and outputs against the manifest;
5. writes `<model>.onnx`, `golden/*.npy` (float32 inputs and PyTorch's outputs) and
   `manifest.json` (schema version 2, without the `files` hashes: `edgeemo models import` adds
   them after running the golden self-test under ONNX Runtime).

Every mistake raises PackExportError with what is wrong and what to do. The format is
docs/model-pack.md; the walk-through docs/bring-your-own-model.md; working calls
models/examples/*/export.py. The declaration types live in import_spec.py, the recipes and their
sample inputs in import_recipes.py, the checks in import_checks.py (all re-exported here).
"""

import io
import json
import os
import shutil
import sys
from dataclasses import dataclass, field

import onnx
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import export_packs  # noqa: E402
import import_checks as checks  # noqa: E402
from import_recipes import LOGMEL, PackExportError, Recipe, eda, face_clip, logmel, logmel_parity_cases, waveform  # noqa: E402
from import_spec import Fusion, Imagination, Modality, Output, Stream  # noqa: E402

SCHEMA_VERSION = 2
OPSET = export_packs.OPSET
TOLERANCE = export_packs.TOLERANCE
EXPORTER = "models/export/edgeemo_import.py"

__all__ = ["export_pack", "Modality", "Stream", "Fusion", "Imagination", "Output", "Recipe", "PackExportError",
           "face_clip", "logmel", "waveform", "eda"]


@dataclass
class _Model:
    """One ONNX file of the pack as the export builds it."""

    name: str  # golden case model name: stream, "fusion" or "imagine.<stream>"
    file: str
    module: nn.Module
    inputs: list  # [(manifest entry dict, sample tensor)]
    output_names: list
    outputs: list = field(default_factory=list)  # PyTorch's tensors on the sample inputs
    output_extra: dict = field(default_factory=dict)  # output name -> extra manifest keys (timeAxis)


def export_pack(out_dir, *, pack_id, version, task, description, modalities, outputs, clip_spacing_frames,
                fusion=None, weights="trained", seed=0, tolerance=TOLERANCE, torch_threads=None):
    """Export `modalities` (+ `fusion`) as an import-ready pack folder at `out_dir` (replaced if it exists).

    pack_id, version, task, description: the manifest's identity fields (task e.g. "affect", "pain").
    modalities: [Modality], each with its [Stream]s.
    outputs: [Output] in the order the score model (fusion, or the lone backbone) returns them.
    clip_spacing_frames: source frames between the ends of consecutive clips (the frame clock of
        the faceClip recipe; with fusion, the spacing of the window's clips).
    fusion: Fusion, or None for a single-stream pack whose backbone gives the scores (window 1).
    weights: what `source.weights` says ("trained", a checkpoint name, or "synthetic").
    seed: seeds the sample inputs (same seed, same torch build -> same golden vectors).
    tolerance: golden max abs error for full-precision runtimes (golden.tolerance).
    torch_threads: torch CPU threads while exporting (None: leave as is).

    Returns the manifest (a dict, as written to out_dir/manifest.json, without "files").
    Raises PackExportError on any inconsistency, before writing anything.
    """
    if torch_threads:
        torch.set_num_threads(torch_threads)
    streams = checks.check_declaration(pack_id, version, task, modalities, outputs, clip_spacing_frames, fusion)
    with torch.no_grad():
        models = _run_models(modalities, streams, outputs, fusion, seed, tolerance)
        for m in models:
            m.proto = _export_onnx(m)  # before writing: an export failure leaves no folder behind
    return _write_folder(out_dir, pack_id, version, task, description, modalities, streams, outputs,
                         clip_spacing_frames, fusion, weights, seed, tolerance, models)


# ------------------------------------------------------------------------------ running the modules


def _run_models(modalities, streams, outputs, fusion, seed, tolerance):
    """Run every module on its sample inputs; check what comes back. Returns the [_Model]s in
    manifest order (backbones, imaginations, fusion)."""
    out_names = [o.name for o in outputs]
    models = []
    features = {}  # stream -> its golden feature [1, D]
    dims = {}
    for index, (name, (mod, s)) in enumerate(streams.items()):
        x = _stream_input(s, seed + 100 * index)
        names = [s.output_name] if fusion is not None else out_names
        what = f"stream {name!r} backbone"
        m = _Model(name, f"{name}.onnx", checks.NamedOutputs(s.backbone, names, what),
                   [(_io(s.input_name, x.shape, s.recipe.layout_of(x.shape)), x)], names)
        _forward(m, tolerance)
        if fusion is not None:
            (feat,) = m.outputs
            checks.require(feat.dim() == 2 and feat.shape[0] == 1,
                           f"{what} returns {list(feat.shape)}; with fusion a backbone returns one clip feature "
                           f"[1, featureDim] (flatten or pool it in forward())")
            features[name], dims[name] = feat, int(feat.shape[1])
        else:
            checks.check_score_tensors(m.outputs, outputs, None, what)
            m.output_extra = {o.name: o.time_axis for o in outputs}
        models.append(m)

    for name, (mod, s) in streams.items():
        if s.imagination is None:
            continue
        im = s.imagination
        what = f"stream {name!r} imagination"
        inputs = [(_io(n, features[src].shape), features[src]) for n, src in zip(im.input_names, im.inputs)]
        m = _Model(f"imagine.{name}", f"imagine_{name}.onnx", checks.NamedOutputs(im.module, [im.output_name], what),
                   inputs, [im.output_name])
        _forward(m, tolerance)
        got = list(m.outputs[0].shape)
        checks.require(got == [1, dims[name]], f"{what} returns {got} but stream {name!r} has featureDim {dims[name]}: "
                                               f"it must return [1, {dims[name]}]")
        models.append(m)

    if fusion is not None:
        what = "the fusion module"
        inputs = []
        for index, (stream_name, in_name) in enumerate(zip(fusion.inputs, fusion.input_names)):
            window = _window_features(streams[stream_name][1], seed + 10_000 + 1000 * index, fusion.window)
            inputs.append((_io(in_name, window.shape), window))
        m = _Model("fusion", "fusion.onnx", checks.NamedOutputs(fusion.module, out_names, what), inputs, out_names)
        try:
            _forward(m, tolerance)
        except PackExportError as e:  # a shape mismatch inside the head: say which feature sizes it got
            sizes = ", ".join(f"{n} {dims[n]}" for n in fusion.inputs)
            raise PackExportError(f"{e}; the backbones give featureDim {sizes} (the fusion inputs are [1, window, "
                                  f"featureDim]): make the head's input sizes match the backbones'") from None
        checks.check_score_tensors(m.outputs, outputs, fusion.window, what)
        m.output_extra = {o.name: o.time_axis for o in outputs}
        models.append(m)
    return models


def _stream_input(s, seed):
    if s.sample_input is None:
        return s.recipe.sample(seed, s.input_shape)
    x = s.sample_input
    checks.require(isinstance(x, torch.Tensor) and list(x.shape) == s.input_shape,
                   f"stream {s.name!r}: sample_input must be a tensor of shape {s.input_shape}, "
                   f"got {list(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__}")
    return x.detach().to(torch.float32).contiguous()


def _window_features(s, seed, window):
    """The stream's backbone features of `window` distinct sample inputs: [1, window, D]."""
    feats = [checks.as_named_outputs(s.backbone(s.recipe.sample(seed + i, s.input_shape)), [s.output_name],
                                     f"stream {s.name!r} backbone")[0] for i in range(window)]
    return torch.cat(feats, dim=0).unsqueeze(0).contiguous()


def _forward(m, tolerance):
    """Run the model on its sample inputs (keeps the outputs) and guard float32 rounding."""
    args = [x for _, x in m.inputs]
    try:
        result = m.module.module(*args)
    except RuntimeError as e:
        shapes = ", ".join(f"{e_['name']} {e_['shape']}" for e_, _ in m.inputs)
        raise PackExportError(f"{m.module.what} fails on its inputs ({shapes}): {str(e).splitlines()[0]}; "
                              f"the inputs are what the runtime will give it, so make the module take them "
                              f"(a stream may choose another input_shape its recipe allows)") from None
    m.outputs = [t.detach().contiguous() for t in checks.as_named_outputs(result, m.output_names, m.module.what)]
    err = checks.float64_rounding(m.module.module, m.output_names, args, m.outputs)
    if err is None:
        print(f"  {m.name:>20s}: float64 run not possible, rounding check skipped")
        return
    print(f"  {m.name:>20s}: float32 vs float64 max|diff| = {err:.1e}")
    checks.require(err <= tolerance / 5,
                   f"{m.name}: float32 rounding changes the outputs by {err:.1e}, too close to the golden tolerance "
                   f"{tolerance:g}: the pack would fail its self-test on another runtime (normalise activations, "
                   f"e.g. LayerNorm/BatchNorm, avoid huge logits, or raise tolerance)")


# ------------------------------------------------------------------------------ ONNX and files


def _io(name, shape, layout=None):
    return export_packs.io_entry(name, [int(d) for d in shape], layout)


def _out_entries(m):
    entries = []
    for name, t in zip(m.output_names, m.outputs):
        e = _io(name, t.shape)
        if m.output_extra.get(name) is not None:
            e["timeAxis"] = m.output_extra[name]
        entries.append(e)
    return entries


def _export_onnx(m):
    buf = io.BytesIO()
    try:
        torch.onnx.export(m.module, tuple(x for _, x in m.inputs), buf, export_params=True, opset_version=OPSET,
                          do_constant_folding=True, input_names=[e["name"] for e, _ in m.inputs],
                          output_names=list(m.output_names), dynamic_axes=None,
                          training=torch.onnx.TrainingMode.EVAL)
    except Exception as e:  # noqa: BLE001 - the exporter's many error types: report the first line
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise PackExportError(f"{m.file}: torch.onnx.export (opset {OPSET}) failed: {first} (rewrite that operation "
                              f"with plain ops, see docs/bring-your-own-model.md, pitfalls)") from None
    proto = onnx.load_from_string(buf.getvalue())
    try:
        onnx.checker.check_model(proto, full_check=True)
    except Exception as e:  # noqa: BLE001
        raise PackExportError(f"{m.file}: the exported graph does not pass onnx.checker: {str(e).splitlines()[0]}") from None
    checks.check_onnx_graph(proto, [e for e, _ in m.inputs], _out_entries(m), m.file)
    m.data = buf.getvalue()
    return proto


def _write_folder(out_dir, pack_id, version, task, description, modalities, streams, outputs,
                  clip_spacing_frames, fusion, weights, seed, tolerance, models):
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(os.path.join(out_dir, "golden"))
    by_name = {m.name: m for m in models}
    cases = []
    fp16 = {}  # model -> FP16 emulation error; None once a model cannot be emulated
    for m in models:
        with open(os.path.join(out_dir, m.file), "wb") as f:
            f.write(m.data)
        stem = m.name.replace(".", "_")
        cases.append({
            "model": m.name,
            "inputs": {e["name"]: export_packs.save_npy(out_dir, f"golden/{stem}_{e['name']}.npy", x.numpy())
                       for e, x in m.inputs},
            "outputs": {n: export_packs.save_npy(out_dir, f"golden/{stem}_{n}.npy", t.numpy())
                        for n, t in zip(m.output_names, m.outputs)},
        })
        if fp16 is not None:
            try:
                fp16[m.name] = export_packs.fp16_emulation(m.name, m.module, [x for _, x in m.inputs], m.outputs)
            except Exception:  # noqa: BLE001 - a module that cannot run in half precision: no FP16 bound
                fp16 = None
    golden = {"tolerance": tolerance}
    if fp16:
        golden["fp16Tolerance"] = max(tolerance, export_packs.fp16_tolerance(fp16))
    golden["cases"] = cases
    mel = next((s.recipe.params for _, s in streams.values() if s.recipe.name == LOGMEL), None)
    if mel is not None:
        golden["logmel"] = []
        for i, (wave, expected, desc) in enumerate(logmel_parity_cases(mel, seed + 50)):
            golden["logmel"].append({
                "waveform": export_packs.save_npy(out_dir, f"golden/logmel_{i}_waveform.npy", wave),
                "sampleRate": mel["sampleRate"],
                "expected": export_packs.save_npy(out_dir, f"golden/logmel_{i}_expected.npy", expected),
                "description": desc,
            })
        golden["logmelTolerance"] = export_packs.LOGMEL_TOLERANCE

    manifest_modalities = []
    for mod in modalities:
        entries = []
        for s in mod.streams:
            bb = by_name[s.name]
            e = {"name": s.name, "recipe": s.recipe.name}
            if fusion is not None:
                e["featureDim"] = int(bb.outputs[0].shape[1])
            e[s.recipe.name] = dict(s.recipe.params)
            e["backbone"] = {"file": bb.file, "inputs": [io for io, _ in bb.inputs], "outputs": _out_entries(bb)}
            if s.imagination is not None:
                im = by_name[f"imagine.{s.name}"]
                e["imagination"] = {
                    "file": im.file,
                    "inputs": [{"stream": src, **io} for src, (io, _) in zip(s.imagination.inputs, im.inputs)],
                    "outputs": _out_entries(im),
                }
            entries.append(e)
        missing = {"substitute": mod.missing}
        if mod.missing == "neutral":
            missing["value"] = float(mod.missing_value)
        manifest_modalities.append({"name": mod.name, "kind": mod.kind, "streams": entries, "missing": missing})

    manifest = {
        "schemaVersion": SCHEMA_VERSION,
        "id": pack_id,
        "version": version,
        "task": task,
        "description": description,
        "source": {"exporter": EXPORTER, "torch": torch.__version__, "seed": seed, "weights": weights},
        "clipSpacingFrames": clip_spacing_frames,
        "modalities": manifest_modalities,
    }
    if fusion is not None:
        fm = by_name["fusion"]
        manifest["fusion"] = {
            "file": fm.file,
            "window": fusion.window,
            "inputs": [{"stream": src, **io} for src, (io, _) in zip(fusion.inputs, fm.inputs)],
            "outputs": _out_entries(fm),
        }
    manifest["outputs"] = [o.manifest_entry() for o in outputs]
    manifest["golden"] = golden
    text = json.dumps(manifest, indent=2, ensure_ascii=True, allow_nan=False)
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(text + "\n")
    total = sum(os.path.getsize(os.path.join(root, n)) for root, _, names in os.walk(out_dir) for n in names)
    print(f"  wrote {out_dir}: {len(models)} ONNX models, {total / 1e6:.2f} MB; "
          f"next: ./bin/edgeemo models import {out_dir} --out <pack>")
    return manifest
