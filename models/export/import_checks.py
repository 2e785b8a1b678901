"""The checks edgeemo_import runs before it writes anything: the mistakes that otherwise surface
only on the device (a module left in train mode, dynamic shapes, outputs that do not match their
names, feature sizes that do not fit the fusion head, score tensors in a layout the runtime does
not read). Each raises PackExportError with what is wrong and what to do.
"""

import copy
import json

import onnx
import torch
from torch import nn

from import_recipes import PackExportError, Recipe
from import_spec import Fusion, Modality, Output, Stream
from manifest_rules import CLASS_KINDS, DEFAULT_SUBSTITUTE, LOGMEL, NAME_PATTERN, OUTPUT_KINDS, RECIPES_BY_KIND, score_layout_problem


def require(condition, message):
    if not condition:
        raise PackExportError(message)


def check_name(name, what):
    """Stream names (and anything the manifest uses as one): lower-case letters, digits, '_'."""
    require(isinstance(name, str) and NAME_PATTERN.match(name),
            f"{what} {name!r} is not a valid name: use ^[a-z][a-z0-9_]*$ (e.g. 'audio_wave')")


def check_eval_mode(module, what):
    """Dropout and BatchNorm behave differently in train mode: the goldens would be random and the
    ONNX graph (exported in eval mode) would not reproduce them. Also: float32 weights on the CPU."""
    require(isinstance(module, nn.Module), f"{what} is a {type(module).__name__}, not a torch.nn.Module")
    training = [name or "(the module itself)" for name, m in module.named_modules() if m.training]
    require(not training, f"{what} is in train mode ({', '.join(training[:3])}{' ...' if len(training) > 3 else ''}): "
                          f"call .eval() on it before exporting")
    # The sample inputs are float32 CPU tensors, as the runtime's are.
    for name, t in list(module.named_parameters()) + list(module.named_buffers()):
        require(t.device.type == "cpu", f"{what}: {name} is on {t.device}: call .cpu() on the module before exporting")
        require(not t.is_floating_point() or t.dtype == torch.float32,
                f"{what}: {name} is {t.dtype}: call .float() on the module (the runtime feeds float32)")


def as_named_outputs(result, names, what, strict=True):
    """The module's return value (a tensor, a tuple/list of tensors, or a dict) as tensors in the
    order of `names`; the count (or the dict's keys) must match. strict: also float32 and finite."""
    if isinstance(result, dict):
        keys = list(result)
        require(set(keys) == set(names),
                f"{what} returns a dict with keys {keys} but the pack declares outputs {list(names)}: "
                f"rename the keys or the declared outputs so that they match")
        result = [result[n] for n in names]
    elif isinstance(result, torch.Tensor):
        result = [result]
    require(isinstance(result, (list, tuple)) and all(isinstance(t, torch.Tensor) for t in result),
            f"{what} returns {type(result).__name__}; return a tensor, a tuple of tensors or a dict of tensors")
    require(len(result) == len(names),
            f"{what} returns {len(result)} tensor(s) but the pack declares {len(names)} output(s) {list(names)}: "
            f"declare one output per returned tensor, in the order forward() returns them")
    for n, t in zip(names, result if strict else []):
        require(t.dtype == torch.float32, f"{what} output {n!r} is {t.dtype}; the runtime reads float32 tensors")
        require(bool(torch.isfinite(t).all()), f"{what} output {n!r} has NaN or infinite values on the sample input")
    return list(result)


class NamedOutputs(nn.Module):
    """Wraps a module so that it returns a tuple in the declared output order (what the ONNX
    exporter names with output_names), whatever the module itself returns."""

    def __init__(self, module, names, what):
        super().__init__()
        self.module = module
        self.names = list(names)
        self.what = what
        # torch.onnx.export restores the wrapper's mode afterwards, recursively: a wrapper left in
        # the default train mode would put the caller's module into train mode.
        self.eval()

    def forward(self, *args):
        # Not strict: the value checks would be traced into the graph as constants on export.
        return tuple(as_named_outputs(self.module(*args), self.names, self.what, strict=False))


def check_score_tensors(tensors, outputs, window, what):
    """Every score tensor's layout, against its declared output (kind, classes, time_axis)."""
    for t, o in zip(tensors, outputs):
        problem = score_layout_problem(list(t.shape), o.time_axis, o.kind, o.classes or [], window)
        require(problem is None, f"{what} output {o.name!r} has shape {list(t.shape)}: {problem} "
                                 f"(layouts: [1,S] [S,1] [1,S,1] [1,S,K] [S,K] with time_axis, [1,1] [1,K] without)")


def float64_rounding(module, names, inputs, outputs):
    """Max |float32 - float64| of the module's outputs on `inputs`, or None when the module does
    not run in float64 (then the check is skipped). A large value means the 1e-4 golden tolerance
    will not hold on another runtime either."""
    try:
        ref = copy.deepcopy(module).double()(*[x.double() for x in inputs])
    except Exception:  # noqa: BLE001 - a module with float32-only code paths: skip the guard
        return None
    ref = as_named_outputs(ref, names, "", strict=False)
    return max((o.double() - r.double()).abs().max().item() for o, r in zip(outputs, ref))


def check_onnx_graph(proto, want_inputs, want_outputs, rel):
    """The exported graph's inputs/outputs must be exactly the manifest's: names, float32, static dims."""
    initialisers = {i.name for i in proto.graph.initializer}

    def spec(values):
        got = []
        for v in values:
            if v.name in initialisers:
                continue
            tt = v.type.tensor_type
            dims = []
            for d in tt.shape.dim:
                require(d.HasField("dim_value"),
                        f"{rel}: tensor {v.name!r} has a dynamic dimension ({d.dim_param or '?'}): export with fixed "
                        f"shapes (no dynamic_axes; avoid shape arithmetic on x.size() that the tracer cannot fold)")
                dims.append(int(d.dim_value))
            got.append((v.name, dims))
        return got

    got_in, got_out = spec(proto.graph.input), spec(proto.graph.output)
    want_in = [(e["name"], list(e["shape"])) for e in want_inputs]
    want_out = [(e["name"], list(e["shape"])) for e in want_outputs]
    if [n for n, _ in got_in] != [n for n, _ in want_in]:
        missing = [n for n, _ in want_in if n not in [g for g, _ in got_in]]
        hint = (f"; the exporter drops inputs forward() does not use: {missing} must contribute to the outputs"
                if missing else "")
        raise PackExportError(f"{rel}: the graph's inputs {[n for n, _ in got_in]} are not {[n for n, _ in want_in]}{hint}")
    if [n for n, _ in got_out] != [n for n, _ in want_out]:
        raise PackExportError(f"{rel}: the graph's outputs {[n for n, _ in got_out]} are not {[n for n, _ in want_out]}: "
                              f"return distinct tensors (not an input or the same tensor twice)")
    for (name, got), (_, want) in zip(got_in + got_out, want_in + want_out):
        require(got == want, f"{rel}: tensor {name!r} is {got} in the graph but {want} in PyTorch: "
                             f"the module's shapes must not depend on anything but the input shapes")
    for v in list(proto.graph.input) + list(proto.graph.output):
        if v.name not in initialisers:
            require(v.type.tensor_type.elem_type == onnx.TensorProto.FLOAT,
                    f"{rel}: tensor {v.name!r} is not float32 in the graph")


def check_declaration(pack_id, version, task, modalities, outputs, clip_spacing_frames, fusion):
    """Everything that can be checked without running a module. Returns {stream name: (modality, stream)}."""
    req = require
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
        check_name(mod.name, "modality name")
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
            check_name(s.name, "stream name")
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
            check_eval_mode(s.backbone, f"stream {s.name!r} backbone")
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
        check_eval_mode(im.module, f"stream {name!r} imagination")
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
        req(o.kind in OUTPUT_KINDS, f"output {o.name!r}: kind {o.kind!r} is not one of {list(OUTPUT_KINDS)}")
        if o.kind in CLASS_KINDS:
            req(o.classes and len(o.classes) >= 2, f"output {o.name!r}: {o.kind} needs classes (one label per value)")
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
        check_eval_mode(fusion.module, "the fusion module")
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
