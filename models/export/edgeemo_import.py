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
docs/model-pack.md; the walk-through docs/bring-your-own-model.md.
"""

import io
import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from typing import Optional, Sequence

import onnx
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import export_packs  # noqa: E402
import import_checks as checks  # noqa: E402
from import_recipes import (  # noqa: E402
    DEFAULT_SUBSTITUTE,
    LOGMEL,
    RECIPES_BY_KIND,
    PackExportError,
    Recipe,
    eda,
    face_clip,
    logmel,
    logmel_parity_cases,
    waveform,
)

SCHEMA_VERSION = 2
OPSET = export_packs.OPSET
TOLERANCE = export_packs.TOLERANCE
EXPORTER = "models/export/edgeemo_import.py"

__all__ = ["export_pack", "Modality", "Stream", "Fusion", "Imagination", "Output", "Recipe", "PackExportError",
           "face_clip", "logmel", "waveform", "eda"]


@dataclass
class Imagination:
    """A model that predicts its stream's clip feature from streams of OTHER modalities (MMIN-style),
    used when the stream's modality declares missing="imagine".

    module: takes the source streams' features, each [1, featureDim of that stream], in the order
        of `inputs`, and returns one tensor [1, featureDim of this stream].
    inputs: the source stream names, in forward()'s argument order.
    input_names / output_name: ONNX tensor names (default "<source>_feature" and "<stream>_feature").
    """

    module: nn.Module
    inputs: Sequence[str]
    input_names: Optional[Sequence[str]] = None
    output_name: Optional[str] = None


@dataclass
class Stream:
    """One backbone on one modality's data, prepared by one recipe.

    name: unique in the pack (^[a-z][a-z0-9_]*$); fusion and imagination inputs name it.
    recipe: face_clip(...), logmel(...), waveform(...) or eda(...).
    backbone: with fusion it returns the clip feature [1, featureDim]; without fusion (one stream
        in the pack) its outputs are the scores, named and shaped like the pack's `outputs`.
    input_shape: the backbone input shape when the recipe allows several (faceClip with
        clip_frames 1: [1, 3, H, W]; waveform: [1, 1, samples]); default the recipe's first.
    sample_input: a tensor for the golden case instead of the synthetic one (same shape).
    input_name / output_name: ONNX tensor names (default the recipe's, e.g. "clip", and "feature").
    imagination: see Imagination.
    """

    name: str
    recipe: Recipe
    backbone: nn.Module
    input_shape: Optional[Sequence[int]] = None
    sample_input: Optional[torch.Tensor] = None
    input_name: Optional[str] = None
    output_name: str = "feature"
    imagination: Optional[Imagination] = None


@dataclass
class Modality:
    """One sensor's data: kind "video", "audio" or "eda", and the streams that read it.

    missing: what replaces the data when the sensor gives none: the kind's natural substitute
        (video "black", audio "silence", eda "neutral" with missing_value in microsiemens) or
        "imagine" (every stream then needs an Imagination).
    """

    name: str
    kind: str
    streams: Sequence[Stream]
    missing: Optional[str] = None
    missing_value: Optional[float] = None


@dataclass
class Fusion:
    """The head that turns the streams' clip features into scores.

    module: forward() takes one tensor per stream, [1, window, featureDim of that stream], in the
        order of `inputs`, and returns the score tensors in the order of the pack's `outputs`
        (a tuple, or a dict keyed by output name).
    inputs: every stream name exactly once, in forward()'s argument order.
    window: clips per call (fixed: the ONNX graph is exported for it).
    input_names: ONNX tensor names (default "<stream>_features").
    """

    module: nn.Module
    inputs: Sequence[str]
    window: int
    input_names: Optional[Sequence[str]] = None


@dataclass
class Output:
    """One score the pack publishes.

    kind: "regression" (min/max: the runtime clips to them), "probability" (0..1) or
        "classLogits" (classes: one label per logit; the score is the class index).
    time_axis: which axis of the score tensor is time (0 for [S, 1] or [S, K], 1 for [1, S],
        [1, S, 1], [1, S, K]); None for a window-level tensor [1, 1] or [1, K].
    smoothing_frames: moving-average length the consumer may apply (optional).
    """

    name: str
    kind: str
    meaning: Optional[str] = None
    min: Optional[float] = None
    max: Optional[float] = None
    classes: Optional[Sequence[str]] = None
    smoothing_frames: Optional[int] = None
    time_axis: Optional[int] = None

    def manifest_entry(self):
        e = {"name": self.name, "kind": self.kind}
        for key, value in (("meaning", self.meaning), ("min", self.min), ("max", self.max),
                           ("classes", list(self.classes) if self.classes else None),
                           ("smoothingFrames", self.smoothing_frames)):
            if value is not None:
                e[key] = float(value) if key in ("min", "max") else value
        return e


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
    streams = _check_declaration(pack_id, version, task, modalities, outputs, clip_spacing_frames, fusion)
    with torch.no_grad():
        models = _run_models(modalities, streams, outputs, fusion, seed, tolerance)
        for m in models:
            m.proto = _export_onnx(m)  # before writing: an export failure leaves no folder behind
    return _write_folder(out_dir, pack_id, version, task, description, modalities, streams, outputs,
                         clip_spacing_frames, fusion, weights, seed, tolerance, models)


# ------------------------------------------------------------------------------ declaration


def _check_declaration(pack_id, version, task, modalities, outputs, clip_spacing_frames, fusion):
    """Everything that can be checked without running a module. Returns {stream name: (modality, stream)}."""
    req = checks.require
    req(isinstance(pack_id, str) and pack_id.strip(), "pack_id must be a non-empty string")
    req(isinstance(version, str) and version.strip(), "version must be a non-empty string (e.g. '1.0.0')")
    req(isinstance(task, str) and task.strip(), "task must be a non-empty string (e.g. 'affect' or 'pain')")
    req(isinstance(clip_spacing_frames, int) and clip_spacing_frames > 0,
        f"clip_spacing_frames must be a positive int, got {clip_spacing_frames!r}")
    req(modalities, "a pack needs at least one Modality")
    req(outputs, "a pack needs at least one Output")

    streams = {}
    modality_names = set()
    for mod in modalities:
        req(isinstance(mod, Modality), f"modalities holds a {type(mod).__name__}; use Modality(...)")
        checks.check_name(mod.name, "modality name")
        req(mod.name not in modality_names, f"modality {mod.name!r} is declared twice")
        modality_names.add(mod.name)
        req(mod.kind in RECIPES_BY_KIND, f"modality {mod.name!r}: kind {mod.kind!r} is not one of {list(RECIPES_BY_KIND)}")
        req(mod.streams, f"modality {mod.name!r} has no streams: give it at least one Stream")
        if mod.missing is None:
            mod.missing = DEFAULT_SUBSTITUTE[mod.kind]
        req(mod.missing in (DEFAULT_SUBSTITUTE[mod.kind], "imagine"),
            f"modality {mod.name!r}: missing {mod.missing!r} is not {DEFAULT_SUBSTITUTE[mod.kind]!r} "
            f"(the {mod.kind} substitute) or 'imagine'")
        if mod.missing == "neutral":
            req(mod.missing_value is not None, f"modality {mod.name!r}: missing 'neutral' needs missing_value "
                                               f"(the EDA level in microsiemens that stands in, e.g. 5.0)")
        for s in mod.streams:
            req(isinstance(s, Stream), f"modality {mod.name!r} holds a {type(s).__name__}; use Stream(...)")
            checks.check_name(s.name, "stream name")
            req(s.name != "fusion", "stream name 'fusion' is reserved for the fusion head")
            req(s.name not in streams, f"stream {s.name!r} is declared twice (names are unique across the pack)")
            req(isinstance(s.recipe, Recipe), f"stream {s.name!r}: recipe must come from face_clip(), logmel(), "
                                              f"waveform() or eda()")
            req(s.recipe.name in RECIPES_BY_KIND[mod.kind],
                f"stream {s.name!r}: recipe {s.recipe.name!r} does not read {mod.kind} data "
                f"(a {mod.kind} modality takes {list(RECIPES_BY_KIND[mod.kind])})")
            shapes = s.recipe.input_shapes()
            if s.input_shape is None:
                s.input_shape = shapes[0]
            req(list(s.input_shape) in shapes, f"stream {s.name!r}: input_shape {list(s.input_shape)} is not what the "
                                               f"{s.recipe.name} recipe gives: {' or '.join(map(str, shapes))}")
            s.input_shape = list(s.input_shape)
            s.input_name = s.input_name or s.recipe.input_name
            checks.check_eval_mode(s.backbone, f"stream {s.name!r} backbone")
            streams[s.name] = (mod, s)
        if mod.missing == "imagine":
            for s in mod.streams:
                req(s.imagination is not None, f"stream {s.name!r}: modality {mod.name!r} has missing='imagine', so every "
                                               f"stream of it needs an Imagination (or use missing="
                                               f"{DEFAULT_SUBSTITUTE[mod.kind]!r})")

    faceclip_clocks = {(s.recipe.params["frameRate"], s.recipe.params["spanFrames"])
                       for _, s in streams.values() if s.recipe.name == "faceClip"}
    req(len(faceclip_clocks) <= 1, f"faceClip streams must share frameRate and spanFrames, got {sorted(faceclip_clocks)}")
    logmels = {json.dumps(s.recipe.params, sort_keys=True) for _, s in streams.values() if s.recipe.name == LOGMEL}
    req(len(logmels) <= 1, "logmel streams of one pack must share their parameters (golden.logmel checks one recipe)")

    for name, (mod, s) in streams.items():
        if s.imagination is None:
            continue
        im = s.imagination
        req(fusion is not None, f"stream {name!r}: imagination needs a fusion head (it predicts fusion input features)")
        checks.check_eval_mode(im.module, f"stream {name!r} imagination")
        req(im.inputs, f"stream {name!r}: the imagination model needs at least one input stream")
        for src in im.inputs:
            req(src in streams, f"stream {name!r}: imagination input {src!r} is not a stream of the pack ({list(streams)})")
            req(streams[src][0].name != mod.name, f"stream {name!r}: imagination input {src!r} is in modality "
                                                  f"{mod.name!r} itself; it must come from another modality")
        im.input_names = list(im.input_names or [f"{src}_feature" for src in im.inputs])
        req(len(im.input_names) == len(im.inputs), f"stream {name!r}: imagination input_names and inputs differ in length")
        im.output_name = im.output_name or f"{name}_feature"

    names = [o.name for o in outputs]
    req(len(set(names)) == len(names), f"output names {names} repeat")
    for o in outputs:
        req(isinstance(o, Output), f"outputs holds a {type(o).__name__}; use Output(...)")
        req(isinstance(o.name, str) and o.name, "every Output needs a name")
        req(o.kind in checks.OUTPUT_KINDS, f"output {o.name!r}: kind {o.kind!r} is not one of {list(checks.OUTPUT_KINDS)}")
        if o.kind == "classLogits":
            req(o.classes and len(o.classes) >= 2, f"output {o.name!r}: classLogits needs classes (one label per logit)")
        else:
            req(not o.classes, f"output {o.name!r}: classes belong to a classLogits output")
        if o.min is not None and o.max is not None:
            req(o.min < o.max, f"output {o.name!r}: min {o.min} must be below max {o.max}")
        req(o.time_axis in (None, 0, 1), f"output {o.name!r}: time_axis {o.time_axis!r} is not 0, 1 or None")

    if fusion is None:
        req(len(modalities) == 1 and len(modalities[0].streams) == 1,
            f"without fusion the pack has exactly one modality with one stream (it has {len(streams)} streams): "
            f"add a Fusion head or export the streams as separate packs")
        req(modalities[0].missing == DEFAULT_SUBSTITUTE[modalities[0].kind],
            f"without fusion, missing must be the kind's substitute {DEFAULT_SUBSTITUTE[modalities[0].kind]!r}")
    else:
        req(isinstance(fusion, Fusion), f"fusion is a {type(fusion).__name__}; use Fusion(...)")
        checks.check_eval_mode(fusion.module, "the fusion module")
        req(isinstance(fusion.window, int) and fusion.window > 0, f"fusion window must be a positive int, got {fusion.window!r}")
        order = list(fusion.inputs)
        unknown = [n for n in order if n not in streams]
        req(not unknown, f"fusion inputs {unknown} are not streams of the pack ({list(streams)})")
        req(len(set(order)) == len(order), f"fusion inputs {order} name a stream twice")
        left_out = [n for n in streams if n not in order]
        req(not left_out, f"fusion inputs leave out stream(s) {left_out}: the head takes every stream's features once")
        fusion.input_names = list(fusion.input_names or [f"{n}_features" for n in order])
        req(len(fusion.input_names) == len(order), "fusion input_names and inputs differ in length")
        req(len(set(fusion.input_names)) == len(order), f"fusion input_names {fusion.input_names} repeat")
    return streams


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
