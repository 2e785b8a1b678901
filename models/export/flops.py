#!/usr/bin/env python3
"""Multiply-accumulates per clip of each model in a pack, counted twice, independently.

    /usr/bin/python3 models/export/flops.py models/packs/affect-full models/packs/pain-full [--json]
    /usr/bin/python3 models/export/flops.py --self-check

1. PyTorch: our own definitions (models/export/edgeemo_models, built as export_packs.new_model
   builds them, at the width the manifest's featureDim implies) run once on zeros of the
   manifest's input shapes, with forward hooks on Conv1d/2d/3d, Linear and the fusion head's
   Attention (its two matmuls, q.k^T and weights.v, which are functions, not modules).
2. ONNX: the pack's own .onnx file, shapes from onnx.shape_inference: Conv (output elements x
   weight elements per output channel), MatMul (output elements x inner dimension) and Gemm.

Only the packs models/export/export_packs.py writes (schema version 1) can be counted: the PyTorch
side needs our own definitions. A version 2 pack (a foreign model through edgeemo_import.py, e.g.
models/examples) is refused with exit code 2 and says so.

The two must agree within 1 % (TOLERANCE) or the run fails. Both count only these ops:
BatchNorm (folded into the convolutions on export), ReLU, pooling, softmax, LayerNorm and the
residual adds are elementwise and left out; so are biases. FLOPs = 2 x MACs.

Before any pack, a self-check runs both counters on one Conv3d layer whose count is worked out
by hand below (SELF_CHECK); `--self-check` runs only that. Exit codes: 0 counts agree, 1 they
do not (or the self-check failed), 2 bad arguments or an unreadable pack.
"""

import argparse
import io
import json
import math
import os
import sys

import onnx
import torch
from onnx import numpy_helper, shape_inference
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import export_packs  # noqa: E402
from edgeemo_models import Attention  # noqa: E402

TOLERANCE = 0.01

# R3D-18's stem at full width: Conv3d(3 -> 64, kernel 3x7x7, stride 1x2x2, padding 1x3x3) on a
# [1, 3, 8, 112, 112] clip. Output: T = (8 + 2*1 - 3)/1 + 1 = 8, H = W = floor((112 + 2*3 - 7)/2) + 1
# = 56, so 64 x 8 x 56 x 56 = 1,605,632 outputs, each a dot product over 3 x 3 x 7 x 7 = 441 inputs:
# 1,605,632 x 441 = 708,083,712 MACs.
SELF_CHECK = {
    "layer": "Conv3d(3, 64, kernel (3,7,7), stride (1,2,2), padding (1,3,3)) on [1,3,8,112,112]",
    "macs": 708_083_712,
}


class PackError(Exception):
    """A pack this script cannot count (missing file, manifest it does not understand)."""


# ----------------------------------------------------------------------------- PyTorch side


def torch_count(model, inputs):
    """Run `model` once on `inputs` with hooks; return (total MACs, MACs by kind, activation
    elements written by the counted layers)."""
    by_kind = {}
    activations = [0]

    def add(kind, macs, out):
        by_kind[kind] = by_kind.get(kind, 0) + int(macs)
        activations[0] += out.numel()

    def conv_hook(module, args, out):
        per_output = (module.in_channels // module.groups) * math.prod(module.kernel_size)
        add(type(module).__name__, out.numel() * per_output, out)

    # The fusion head calls one cross-attention twice with the same query (ca_v(v, a), ca_v(v, j)):
    # eager PyTorch projects that query twice, the exported graph once (the exporter merges
    # identical nodes), and ONNX Runtime runs the graph. So a Linear applied again to the very same
    # input tensor is counted once. The inputs are kept alive here so that `is` cannot match a
    # new tensor at a recycled address.
    seen_linear_inputs = []

    def linear_hook(module, args, out):
        if any(m is module and x is args[0] for m, x in seen_linear_inputs):
            return
        seen_linear_inputs.append((module, args[0]))
        add("Linear", out.numel() * module.in_features, out)

    def attention_hook(module, args, out):
        query, key_value = args[0], args[1]
        batch, lq, dim = query.shape
        lk = key_value.shape[1]
        # q.k^T and weights.v, summed over heads: each batch x Lq x Lk x D.
        add("attention matmul", 2 * batch * lq * lk * dim, out)

    handles = []
    for module in model.modules():
        if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
            handles.append(module.register_forward_hook(conv_hook))
        elif isinstance(module, nn.Linear):
            handles.append(module.register_forward_hook(linear_hook))
        elif isinstance(module, Attention):
            handles.append(module.register_forward_hook(attention_hook))
    try:
        with torch.no_grad():
            model.eval()(*inputs)
    finally:
        for h in handles:
            h.remove()
    return sum(by_kind.values()), by_kind, activations[0]


# ----------------------------------------------------------------------------- ONNX side


def _dims(value_info):
    dims = []
    for d in value_info.type.tensor_type.shape.dim:
        if not d.HasField("dim_value"):
            return None
        dims.append(int(d.dim_value))
    return dims


def onnx_count(proto):
    """Count Conv, MatMul and Gemm MACs of an ONNX model from its inferred shapes; return
    (total MACs, MACs by kind). Any op that multiplies matrices and is not counted is an error."""
    graph = shape_inference.infer_shapes(proto, strict_mode=True).graph
    shapes = {}
    for vi in list(graph.input) + list(graph.value_info) + list(graph.output):
        dims = _dims(vi)
        if dims is not None:
            shapes[vi.name] = dims
    for init in graph.initializer:
        shapes[init.name] = list(init.dims)
    # Weights: initialisers, Constant nodes, and Identity copies of them (a module called twice
    # reads its shared weights through an Identity).
    constants = {i.name for i in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant":
            value = next(a for a in node.attribute if a.name == "value")
            shapes[node.output[0]] = list(numpy_helper.to_array(value.t).shape)
            constants.add(node.output[0])
        elif node.op_type == "Identity" and node.input[0] in constants:
            shapes.setdefault(node.output[0], shapes.get(node.input[0]))
            constants.add(node.output[0])

    def shape(name, node):
        if name not in shapes:
            raise PackError(f"ONNX shape inference gave no static shape for {name!r} ({node.op_type} {node.name})")
        return shapes[name]

    by_kind = {}

    def add(kind, macs):
        by_kind[kind] = by_kind.get(kind, 0) + int(macs)

    for node in graph.node:
        op = node.op_type
        if op == "Conv":
            weight = shape(node.input[1], node)
            out = shape(node.output[0], node)
            add(f"Conv{len(weight) - 2}d", math.prod(out) * math.prod(weight[1:]))
        elif op == "MatMul":
            a = shape(node.input[0], node)
            out = shape(node.output[0], node)
            kind = "Linear" if node.input[1] in constants else "attention matmul"
            add(kind, math.prod(out) * a[-1])
        elif op == "Gemm":
            a = shape(node.input[0], node)
            out = shape(node.output[0], node)
            trans_a = next((a_.i for a_ in node.attribute if a_.name == "transA"), 0)
            add("Linear", math.prod(out) * (a[0] if trans_a else a[1]))
        elif op in ("ConvTranspose", "Einsum", "ConvInteger", "MatMulInteger", "QLinearConv", "QLinearMatMul"):
            raise PackError(f"{op} node {node.name!r} is not counted by this script: extend onnx_count")
    return sum(by_kind.values()), by_kind


# ----------------------------------------------------------------------------- packs


def read_manifest(pack_dir):
    path = os.path.join(pack_dir, "manifest.json")
    if not os.path.isfile(path):
        raise PackError(f"{pack_dir}: no manifest.json (is this a pack folder?)")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise PackError(f"{path}: cannot read: {e}") from e


def size_of(manifest, where):
    """The export size whose width gives the manifest's feature size (D = 8 x base)."""
    dim = manifest["fusion"]["featureDim"]
    for name, cfg in export_packs.SIZES.items():
        if 8 * cfg["base"] == dim:
            return name
    known = ", ".join(f"{n} (D={8 * c['base']})" for n, c in export_packs.SIZES.items())
    raise PackError(f"{where}: featureDim {dim} matches no export size ({known})")


def zeros(entries):
    return [torch.zeros(e["shape"], dtype=torch.float32) for e in entries]


def count_model(pack_dir, role, task, size, spec, window=None):
    """Both counts for one model of a pack; spec is the manifest's backbone or fusion block."""
    path = os.path.join(pack_dir, spec["file"])
    if not os.path.isfile(path):
        raise PackError(f"{path}: missing (listed in the manifest)")
    model = export_packs.new_model(task, role, size, window=window)
    params = sum(p.numel() for p in model.parameters())
    try:
        macs, by_kind, activations = torch_count(model, zeros(spec["inputs"]))
    except RuntimeError as e:
        raise PackError(f"{path}: our {role} definition does not accept the manifest's input shapes: {e}") from e
    try:
        proto = onnx.load(path)
    except Exception as e:  # protobuf's DecodeError and friends: any unreadable file is the pack's problem
        raise PackError(f"{path}: not a readable ONNX model: {e}") from e
    try:
        onnx_macs, onnx_by_kind = onnx_count(proto)
    except shape_inference.InferenceError as e:
        raise PackError(f"{path}: ONNX shape inference failed: {e}") from e
    difference = abs(macs - onnx_macs) / max(onnx_macs, 1)
    # Kind by kind as well, so that two errors cannot cancel out in the total.
    kinds_agree = all(abs(by_kind.get(k, 0) - onnx_by_kind.get(k, 0)) <= TOLERANCE * max(onnx_by_kind.get(k, 0), 1)
                      for k in set(by_kind) | set(onnx_by_kind))
    return {
        "model": role,
        "file": spec["file"],
        "inputs": {e["name"]: e["shape"] for e in spec["inputs"]},
        "params": params,
        "activations": activations,
        "macs": macs,
        "flops": 2 * macs,
        "onnx_macs": onnx_macs,
        "relative_difference": difference,
        "agrees": difference <= TOLERANCE and kinds_agree,
        "macs_by_kind": dict(sorted(by_kind.items())),
        "onnx_macs_by_kind": dict(sorted(onnx_by_kind.items())),
    }


def count_pack(pack_dir):
    manifest = read_manifest(pack_dir)
    where = os.path.join(pack_dir, "manifest.json")
    exporter = (manifest.get("source") or {}).get("exporter")
    if manifest.get("schemaVersion") != 1:
        raise PackError(f"{where}: schema version {manifest.get('schemaVersion')} (exporter {exporter}): flops.py counts "
                        f"only the version 1 packs models/export/export_packs.py writes, whose models are our own "
                        f"definitions; count a foreign model with its own code")
    try:
        task = manifest["task"]
        if task not in export_packs.TASKS:
            raise PackError(f"{where}: task {task!r} is not one models/export builds ({', '.join(export_packs.TASKS)})")
        size = size_of(manifest, where)
        roles = {"video": "visual", "audio": "audio", "eda": "eda"}
        models = []
        for modality in manifest["modalities"]:
            kind = modality["kind"]
            if kind not in roles:
                raise PackError(f"{where}: modality {modality['name']!r} has kind {kind!r}, which models/export does not build")
            models.append(count_model(pack_dir, roles[kind], task, size, modality["backbone"]))
        fusion = manifest["fusion"]
        window = fusion["window"]
        models.append(count_model(pack_dir, "fusion", task, size, fusion, window=window))
    except KeyError as e:
        raise PackError(f"{where}: missing key {e}") from e

    backbones = sum(m["macs"] for m in models if m["model"] != "fusion")
    fusion_macs = next(m["macs"] for m in models if m["model"] == "fusion")
    return {
        "pack": manifest.get("id", os.path.basename(os.path.normpath(pack_dir))),
        "directory": os.path.abspath(pack_dir),
        "task": task,
        "size": size,
        "window": window,
        "clip_spacing_frames": fusion["clipSpacingFrames"],
        "frame_rate": next(m["video"]["frameRate"] for m in manifest["modalities"] if m["kind"] == "video"),
        "models": models,
        # Streaming: each backbone runs once per clip, the head once per output. A naive sliding
        # window runs every backbone on all `window` clips for each output.
        "macs_per_output": backbones + fusion_macs,
        "naive_macs_per_output": window * backbones + fusion_macs,
    }


# ----------------------------------------------------------------------------- self-check


def self_check():
    """Both counters on one Conv3d against the hand-computed SELF_CHECK value."""
    torch.manual_seed(0)
    layer = nn.Conv3d(3, 64, (3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3), bias=False).eval()
    clip = torch.zeros(1, 3, 8, 112, 112)
    hooked, _, _ = torch_count(layer, [clip])
    buf = io.BytesIO()
    torch.onnx.export(layer, (clip,), buf, opset_version=export_packs.OPSET, input_names=["clip"],
                      output_names=["y"], training=torch.onnx.TrainingMode.EVAL)
    from_onnx, _ = onnx_count(onnx.load_from_string(buf.getvalue()))
    want = SELF_CHECK["macs"]
    return {"layer": SELF_CHECK["layer"], "expected_macs": want, "torch_macs": hooked, "onnx_macs": from_onnx,
            "ok": hooked == want and from_onnx == want}


# ----------------------------------------------------------------------------- output


def fmt_g(n):
    """Giga, four significant digits (the tiny packs' small models are well under 0.001 G)."""
    return f"{n / 1e9:.4g}"


def write_table(check, packs, out):
    verdict = "ok" if check["ok"] else "FAILED"
    out.write(f"self-check {verdict}: {check['layer']}: hand {check['expected_macs']:,} MACs, "
              f"hooks {check['torch_macs']:,}, ONNX {check['onnx_macs']:,}\n")
    if not packs:
        return
    out.write("\n| pack | model | input | params (M) | GMAC (PyTorch hooks) | GMAC (ONNX graph) | difference | GFLOP |\n")
    out.write("|---|---|---|---:|---:|---:|---:|---:|\n")
    for p in packs:
        for m in p["models"]:
            shapes = ", ".join("x".join(str(d) for d in s) for s in m["inputs"].values())
            out.write(f"| {p['pack']} | {m['model']} | {shapes} | {m['params'] / 1e6:.2f} | {fmt_g(m['macs'])} | "
                      f"{fmt_g(m['onnx_macs'])} | {100 * m['relative_difference']:.3f} %{'' if m['agrees'] else ' FAIL'} | "
                      f"{fmt_g(m['flops'])} |\n")
    out.write("\n| pack | window | GMAC per output, streaming (each backbone once + fusion) | GMAC per output, naive sliding window | ratio |\n")
    out.write("|---|---:|---:|---:|---:|\n")
    for p in packs:
        ratio = p["naive_macs_per_output"] / p["macs_per_output"]
        out.write(f"| {p['pack']} | {p['window']} | {fmt_g(p['macs_per_output'])} | {fmt_g(p['naive_macs_per_output'])} | {ratio:.1f} |\n")
    out.write("\nMACs by kind (PyTorch hooks):\n")
    for p in packs:
        for m in p["models"]:
            kinds = ", ".join(f"{k} {fmt_g(v)}" for k, v in m["macs_by_kind"].items())
            out.write(f"  {p['pack']}/{m['model']}: {kinds} GMAC\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("packs", nargs="*", help="pack folders (each holds manifest.json)")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--self-check", action="store_true", help="only the hand-computed single-layer check")
    args = ap.parse_args(argv)
    if not args.packs and not args.self_check:
        ap.print_usage(sys.stderr)
        print("flops.py: error: name at least one pack folder, or --self-check", file=sys.stderr)
        return 2

    torch.set_num_threads(1)
    check = self_check()
    packs = []
    if not args.self_check:
        try:
            packs = [count_pack(d) for d in args.packs]
        except PackError as e:
            print(f"flops.py: error: {e}", file=sys.stderr)
            return 2

    if args.json:
        json.dump({"self_check": check, "tolerance": TOLERANCE, "packs": packs}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        write_table(check, packs, sys.stdout)
    ok = check["ok"] and all(m["agrees"] for p in packs for m in p["models"])
    if not ok:
        print("flops.py: the PyTorch and ONNX counts disagree (see above)", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
