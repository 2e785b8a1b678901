"""The checks edgeemo_import runs before it writes anything: the mistakes that otherwise surface
only on the device (a module left in train mode, dynamic shapes, outputs that do not match their
names, feature sizes that do not fit the fusion head, score tensors in a layout the runtime does
not read). Each raises PackExportError with what is wrong and what to do.
"""

import copy

import onnx
import torch
from torch import nn

from import_recipes import PackExportError
from manifest_rules import NAME_PATTERN, OUTPUT_KINDS, score_layout_problem  # noqa: F401 - OUTPUT_KINDS for edgeemo_import


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
