#!/usr/bin/env python3
"""Regenerates models/face/ from the npm package: face-api.js's trained TinyFaceDetector,
68-point landmark nets (full and tiny) and expression net as ONNX (opset 17, fixed shapes),
the test frames, and PyTorch golden vectors. `make face-models` runs it after `npm ci`.

    python3 models/faceapi/export_face.py [--out models/face]

Everything is deterministic for given package versions (weights from the pinned npm package,
frames decoded by ffmpeg from committed media and Debian's opencv-doc images).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

sys.path.insert(0, str(HERE.parent / "export"))

import export_packs  # noqa: E402  (fp16_emulation / fp16_tolerance: one rule for every golden's FP16 bound)
import faceapi_nets as nets  # noqa: E402
import faceapi_pipeline as pipeline  # noqa: E402
from tfjs_weights import load_weight_map  # noqa: E402

REPO = HERE.parent.parent
PACKAGE = HERE / "node_modules" / "@vladmandic" / "face-api"
OPSET = 17
# 320: this product's frames are 320x240 (tests/media, the camera's detection size), so the
# detector input is the frame padded below, with no resampling; a 10x10 grid still finds faces
# down to about 30 px, and it costs 0.6x the compute of face-api's default 416.
DETECTOR_SIZE = 320
FRAME_WIDTH, FRAME_HEIGHT = 320, 240
OPENCV_DOC = Path("/usr/share/doc/opencv-doc/opencv4/html")

# Public-domain portraits of real people shipped in Debian packages that this machine need not
# have installed: (package, path inside it). `debian_file` takes an installed copy, else fetches
# the package with `apt-get download` (no root) and extracts the one file.
DEBIAN_STILLS = {
    # NASA portrait of astronaut Eileen Collins, smiling; skimage.data.astronaut's docstring:
    # "No known copyright restrictions, released into the public domain."
    "astronaut": ("python3-skimage", "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"),
    # US Navy portrait of Rear Admiral Grace Hopper (a US-government work), neutral; shipped as
    # matplotlib's sample data (file comment: commons.wikimedia.org/wiki/File:Grace_Hopper.jpg).
    "hopper": ("python-matplotlib-data", "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"),
}
DEBIAN_CACHE = REPO / "build" / "debian-stills"


def debian_file(package: str, path: str) -> Path:
    installed = Path(path)
    if installed.is_file():
        return installed
    extracted = DEBIAN_CACHE / package / path.lstrip("/")
    if not extracted.is_file():
        DEBIAN_CACHE.mkdir(parents=True, exist_ok=True)
        for old in DEBIAN_CACHE.glob(f"{package}_*.deb"):
            old.unlink()
        subprocess.run(["apt-get", "download", "-q", package], cwd=DEBIAN_CACHE, check=True)
        deb = next(DEBIAN_CACHE.glob(f"{package}_*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(deb), str(DEBIAN_CACHE / package)], check=True)
    if not extracted.is_file():
        sys.exit(f"export_face: {package} does not ship {path}")
    return extracted


# name -> (source, ffmpeg filter to a 320x240 frame, or "null" to keep a 320x320 photo as it is);
# frames are uint8 RGB [height, width, 3].
FRAMES = {
    "face_jpg": (REPO / "tests/media/face.jpg", "null"),
    "face_000": (REPO / "tests/media/face.mp4", "select=eq(n\\,0)"),
    "face_180": (REPO / "tests/media/face.mp4", "select=eq(n\\,180)"),
    "face_359": (REPO / "tests/media/face.mp4", "select=eq(n\\,359)"),
    "noface_000": (REPO / "tests/media/noface.mp4", "select=eq(n\\,0)"),
    # four people in a 2x2 grid (OpenCV's facemark tutorial image; its drawn landmarks are
    # part of the pixels both implementations see)
    "people4": (OPENCV_DOC / "facereg.jpg", "scale=240:240:flags=bilinear,pad=320:240:40:0"),
    # the Mona Lisa (a public-domain painting) from OpenCV's face-detection sample screenshot
    "monalisa": (OPENCV_DOC / "julia_facedetect_sample.jpg", "crop=520:390:0:40,scale=320:240:flags=bilinear"),
    # two real people's portraits (DEBIAN_STILLS), scaled to the frame height and padded
    "astronaut": (lambda: debian_file(*DEBIAN_STILLS["astronaut"]), "scale=240:240:flags=bilinear,pad=320:240:40:0"),
    "hopper": (lambda: debian_file(*DEBIAN_STILLS["hopper"]), "scale=204:240:flags=bilinear,pad=320:240:58:0"),
}
# Frames whose detector grid and first face's crops become goldens (inputs are committed).
GOLDEN_FRAMES = ("face_000", "people4", "monalisa")

MODELS = {
    "detector": ("tiny_face_detector.onnx", "image", [1, 3, DETECTOR_SIZE, DETECTOR_SIZE], "grid"),
    "landmarks": ("face_landmark_68.onnx", "face", [1, 3, 112, 112], "landmarks"),
    "landmarks_tiny": ("face_landmark_68_tiny.onnx", "face", [1, 3, 112, 112], "landmarks"),
    "expressions": ("face_expression.onnx", "face", [1, 3, 112, 112], "probabilities"),
}


def build_nets() -> dict[str, torch.nn.Module]:
    model = PACKAGE / "model"
    if not model.is_dir():
        sys.exit(f"export_face: {model} is missing: run scripts/setup-faceapi.sh (npm ci) first")
    weights = lambda name: load_weight_map(model / f"{name}-weights_manifest.json")  # noqa: E731
    return {
        "detector": nets.detector(weights("tiny_face_detector_model")),
        "landmarks": nets.landmark_net(weights("face_landmark_68_model")),
        "landmarks_tiny": nets.landmark_net(weights("face_landmark_68_tiny_model"), tiny=True),
        "expressions": nets.expression_net(weights("face_expression_model")),
    }


def export(net: torch.nn.Module, path: Path, input_name: str, shape: list[int], output_name: str) -> None:
    dummy = torch.zeros(shape)
    torch.onnx.export(net, dummy, str(path), opset_version=OPSET, input_names=[input_name],
                      output_names=[output_name], do_constant_folding=True)
    model = onnx.load(str(path))
    onnx.checker.check_model(model)
    # Fixed shapes only: the runtime binds buffers once (ModelSession).
    for value in list(model.graph.input) + list(model.graph.output):
        dims = value.type.tensor_type.shape.dim
        if any(d.dim_param or d.dim_value <= 0 for d in dims):
            raise SystemExit(f"export_face: {path.name}: {value.name} has a dynamic dimension")


def decode_frame(source: Path, vf: str) -> np.ndarray:
    if not source.is_file():
        sys.exit(f"export_face: {source} is missing (tests/media, or Debian's opencv-doc: scripts/setup.sh)")
    cmd = ["ffmpeg", "-v", "error", "-nostdin", "-i", str(source), "-vf", vf, "-frames:v", "1",
           "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    raw = subprocess.run(cmd, check=True, capture_output=True).stdout
    height = FRAME_WIDTH if vf == "null" else FRAME_HEIGHT
    if len(raw) != FRAME_WIDTH * height * 3:
        sys.exit(f"export_face: {source.name} ({vf}) gave {len(raw)} bytes, not a {FRAME_WIDTH}x{height} RGB frame")
    return np.frombuffer(raw, np.uint8).reshape(height, FRAME_WIDTH, 3).copy()


def run(net: torch.nn.Module, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return net(torch.from_numpy(x)).numpy().astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "models" / "face")
    parser.add_argument("--reuse-stills", type=Path, metavar="FRAMES_DIR",
                        help="take the DEBIAN_STILLS frames from FRAMES_DIR/<name>.npy (the committed ones) instead "
                             "of fetching their packages: for the re-export test, which needs no network")
    args = parser.parse_args()
    torch.manual_seed(0)

    out: Path = args.out
    golden = out / "golden"
    frames_dir = golden / "frames"
    if golden.exists():
        shutil.rmtree(golden)
    frames_dir.mkdir(parents=True)

    built = build_nets()
    for key, (file, input_name, shape, output_name) in MODELS.items():
        export(built[key], out / file, input_name, shape, output_name)
        print(f"export_face: {file} {(out / file).stat().st_size / 1e6:.2f} MB")

    def frame(name: str, src, vf: str) -> np.ndarray:
        if args.reuse_stills is not None and name in DEBIAN_STILLS:
            return np.load(args.reuse_stills / f"{name}.npy")
        return decode_frame(src() if callable(src) else src, vf)

    frames = {name: frame(name, src, vf) for name, (src, vf) in FRAMES.items()}
    for name, frame in frames.items():
        np.save(frames_dir / f"{name}.npy", frame)

    cases = []
    fp16_errors: dict[str, dict[str, float]] = {}

    def case(model: str, name: str, input_file: str, x: np.ndarray, y: np.ndarray, input_dtype=np.float32) -> None:
        file, input_name, _, output_name = MODELS[model]
        in_path, out_path = f"golden/{name}_{input_file}.npy", f"golden/{name}_{model}.npy"
        if not (out / in_path).exists():
            np.save(out / in_path, x.astype(input_dtype))
        np.save(out / out_path, y)
        cases.append({"model": file, "inputs": {input_name: in_path}, "outputs": {output_name: out_path}})
        fp16_errors.setdefault(file, {})[name] = export_packs.fp16_emulation(
            model, built[model], [torch.from_numpy(x.astype(np.float32))], [torch.from_numpy(y)])

    summary = {}
    for name in GOLDEN_FRAMES:
        frame = frames[name]
        image = pipeline.detector_input(frame, DETECTOR_SIZE)
        grid = run(built["detector"], image)
        # The frame only padded (320 wide): whole numbers, stored as uint8.
        case("detector", name, "image", image, grid, input_dtype=np.uint8)
        found = pipeline.decode_detections(grid, FRAME_WIDTH, FRAME_HEIGHT, DETECTOR_SIZE)
        summary[name] = len(found)
        if not found:
            continue
        _, box = found[0]
        crop = pipeline.face_input(frame, box)
        raw = run(built["landmarks"], crop)
        case("landmarks", f"{name}_face0", "landmark_crop", crop, raw)
        case("landmarks_tiny", f"{name}_face0", "landmark_crop", crop, run(built["landmarks_tiny"], crop))
        x, y, w, h = pipeline.clip_box(box, FRAME_WIDTH, FRAME_HEIGHT)
        points = pipeline.decode_landmarks(raw, w, h, box[:2])
        aligned = pipeline.face_input(frame, pipeline.aligned_box(points))
        case("expressions", f"{name}_face0", "expression_crop", aligned, run(built["expressions"], aligned))

    (golden / "cases.json").write_text(json.dumps({
        "tolerance": 2e-4,
        # Per model file, the bound an FP16 engine (TensorRT on the device) is held to, sized by
        # the packs' rule; per model, since a detector logit and a landmark coordinate differ in scale.
        "fp16Tolerance": {file: export_packs.fp16_tolerance(errors) for file, errors in fp16_errors.items()},
        "detectorInputSize": DETECTOR_SIZE,
        "frames": [f"golden/frames/{n}.npy" for n in FRAMES],
        "cases": cases,
    }, indent=2) + "\n")
    shutil.copyfile(PACKAGE / "LICENSE", out / "LICENSE.face-api")
    print(f"export_face: {len(frames)} frames, {len(cases)} golden cases; faces found: {summary}")


if __name__ == "__main__":
    main()
