#!/usr/bin/env python3
"""Estimated TensorRT FP16 latency and real-time factor of a pack on Jetson Orin modules.

    /usr/bin/python3 models/export/jetson_estimate.py models/packs/affect-full models/packs/pain-full

Estimates, not measurements: they turn the MACs that flops.py counts (and cross-checks against
the ONNX graph) into milliseconds with the modules' published peak throughput and the
efficiency assumptions below, so that a first device run has numbers to be compared with. Every
cell it prints says so. docs/performance.md has the table and the commands that measure it.

Per model:  time = max(compute, memory) + CALL_OVERHEAD_MS
  compute = sum over op kinds of 2 x MACs / (dense FP16 peak x EFFICIENCY[kind])
  memory  = 2 bytes x (parameters + 2 x activation elements) / memory bandwidth
            (FP16 weights read once, each counted layer's output written once and read once)
Per output: one clip through each backbone plus one fusion call (the streaming rule);
real-time factor = (hop / frame rate) / per-output time. Inference only: decoding, face
detection and preprocessing run on the CPU and are not in these figures.
"""

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import flops  # noqa: E402

# Ampere (GA10B) third-generation Tensor Cores: 256 dense FP16 FMA per clock each, 512 FLOP.
# Check against the datasheets' AI performance, quoted in sparse INT8 TOPS (= 4 x dense FP16):
# Orin Nano 8GB 32 TC x 625 MHz x 512 x 4 = 41 TOPS (datasheet: 40, GPU only);
# AGX Orin 64GB 64 TC x 1.3 GHz x 512 x 4 = 170 TOPS (technical brief: GPU 170 + DLA 105 = 275).
FP16_FLOP_PER_TENSOR_CORE_CLOCK = 512

# NVIDIA Jetson Orin module datasheets: Tensor Cores, maximum GPU clock (the MAXN power mode;
# JetPack 6.2's "Super" modes raise Nano to 1020 MHz and NX to 1173 MHz), memory bandwidth.
DEVICES = [
    {"name": "Orin Nano 8GB", "tensor_cores": 32, "gpu_mhz": 625, "memory_gbps": 68.0},
    {"name": "Orin NX 16GB", "tensor_cores": 32, "gpu_mhz": 918, "memory_gbps": 102.4},
    {"name": "AGX Orin 64GB", "tensor_cores": 64, "gpu_mhz": 1300, "memory_gbps": 204.8},
]

# Assumed fraction of the dense FP16 peak that TensorRT reaches at batch 1, by op kind. 3D
# convolutions at batch 1 keep the Tensor Cores poorly fed (few channels in early stages, 7x7 or
# 4x4 maps in late ones); 2D convolutions and GEMMs do better. Replace with measured values:
# efficiency = 2 x MACs / (measured ms x peak).
EFFICIENCY = {
    "Conv3d": 0.15,
    "Conv2d": 0.30,
    "Conv1d": 0.10,
    "Linear": 0.20,
    "attention matmul": 0.05,
}

# Per model call: ONNX Runtime dispatch, TensorRT enqueue, kernel launches of ~50 layers, and the
# synchronisation before the outputs are read. Assumed.
CALL_OVERHEAD_MS = 0.3

LABEL = "estimate until measured on a device"


def peak_dense_fp16_flops(device):
    return device["tensor_cores"] * device["gpu_mhz"] * 1e6 * FP16_FLOP_PER_TENSOR_CORE_CLOCK


def model_ms(model, device):
    peak = peak_dense_fp16_flops(device)
    compute_s = sum(2 * macs / (peak * EFFICIENCY[kind]) for kind, macs in model["macs_by_kind"].items())
    memory_s = 2 * (model["params"] + 2 * model["activations"]) / (device["memory_gbps"] * 1e9)
    return 1e3 * max(compute_s, memory_s) + CALL_OVERHEAD_MS


def valid_hops(pack):
    """The hops the pipeline accepts (they divide the clip spacing), largest two that are <= 32 and 8."""
    spacing = pack["clip_spacing_frames"]
    big = max(h for h in range(1, 33) if spacing % h == 0)
    return [big, 8] if big != 8 else [8]


def estimate(pack, device):
    per_model = {m["model"]: model_ms(m, device) for m in pack["models"]}
    per_output = sum(per_model.values())
    rtf = {hop: (hop / pack["frame_rate"]) * 1e3 / per_output for hop in valid_hops(pack)}
    return per_model, per_output, rtf


def write(packs, out):
    out.write("Assumptions: dense FP16 peak = Tensor Cores x GPU clock x 512 FLOP; efficiency "
              + ", ".join(f"{k} {v:.0%}" for k, v in EFFICIENCY.items())
              + f"; {CALL_OVERHEAD_MS} ms per model call. Inference only.\n\n")
    out.write("| module | dense FP16 peak | memory |\n|---|---:|---:|\n")
    for d in DEVICES:
        out.write(f"| {d['name']} | {peak_dense_fp16_flops(d) / 1e12:.1f} TFLOPS | {d['memory_gbps']:g} GB/s |\n")
    for pack in packs:
        out.write(f"\n{pack['pack']} ({pack['frame_rate']} fps, window {pack['window']}; "
                  "the measured column is filled from a device run, see docs/performance.md):\n\n")
        out.write("| figure | module | estimate | measured |\n|---|---|---:|---:|\n")
        rows = [(f"{m['model']}, ms per {'call' if m['model'] == 'fusion' else 'clip'}",
                 lambda r, n=m["model"]: f"{r[0][n]:.1f} ms") for m in pack["models"]]
        rows.append(("inference, ms per output", lambda r: f"{r[1]:.1f} ms"))
        rows += [(f"real-time factor, hop {hop}", lambda r, h=hop: f"{r[2][h]:.0f}") for hop in valid_hops(pack)]
        results = [estimate(pack, d) for d in DEVICES]
        for figure, cell in rows:
            for device, result in zip(DEVICES, results):
                out.write(f"| {figure} | {device['name']} | {cell(result)} ({LABEL}) | |\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("packs", nargs="+", help="pack folders (the full packs: the product's sizes)")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    try:
        packs = [flops.count_pack(d) for d in args.packs]
    except flops.PackError as e:
        print(f"jetson_estimate.py: error: {e}", file=sys.stderr)
        return 2
    bad = [f"{p['pack']}/{m['model']}" for p in packs for m in p["models"] if not m["agrees"]]
    if bad:
        print(f"jetson_estimate.py: PyTorch and ONNX MACs disagree for {', '.join(bad)}: run flops.py", file=sys.stderr)
        return 1
    write(packs, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
