#!/usr/bin/env python3
"""Write the import-ready folder of the `expression` pack: face-api.js's trained 7-class
expression network (models/face/face_expression.onnx) as a per-frame visual model without fusion.

    /usr/bin/python3 models/export/expression_pack.py [--out build/packs/expression]
    ./bin/edgeemo models import build/packs/expression --out models/packs/expression --force

(`make expression-pack` runs both.) Nothing is trained or exported here: the ONNX file and its
golden vectors come from `make face-models` (models/faceapi/export_face.py). This script only
renames the network's output to the pack's output name and writes the manifest, whose hashes
`edgeemo models import` adds after checking everything.
"""

import argparse
import json
import os
import shutil

import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
FACE = os.path.join(ROOT, "models", "face")

# face-api.js's FaceExpressionNet order (models/face/README.md).
CLASSES = ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"]
OUTPUT = "expression"
MODEL_FILE = "expression.onnx"

# The goldens of the three face crops models/face keeps: a face.mp4 frame, OpenCV's four people
# and the Mona Lisa (their expression-net inputs and PyTorch outputs).
GOLDEN_CASES = ["face_000", "people4", "monalisa"]

# One score every 8 frames (0.27 s at 30 fps): an expression changes within a few hundred
# milliseconds and the network costs about 1-4 ms, so this follows it closely; scoring every
# frame would only repeat near-identical numbers four times as often on MQTT.
CLIP_SPACING_FRAMES = 8

DESCRIPTION = (
    "Seven basic facial expressions (neutral, happy, sad, angry, fearful, disgusted, surprised) "
    "as probabilities, one face image per score: face-api.js's trained expression network "
    "(@vladmandic/face-api 1.7.15, MIT, see NOTICE) on face-api's own crop (the 68 landmarks' "
    "box grown by 20 %). A real trained model of expressions: not valence/arousal and not pain."
)


# `edgeemo models import` hashes NOTICE and LICENSE* files beside the manifest into the pack.
NOTICE = """The expression pack's network (expression.onnx) is face-api.js's trained face expression
network, converted from the npm package @vladmandic/face-api 1.7.15
(https://github.com/vladmandic/face-api), Copyright (c) Vladimir Mandic, MIT License
(LICENSE.face-api, copied verbatim from the package). @vladmandic/face-api continues face-api.js
by Vincent Muehler (https://github.com/justadudewhohacks/face-api.js), Copyright (c) 2018 Vincent
Muehler, MIT License, who trained the network and published its weights.

It is models/face/face_expression.onnx (see models/face/README.md and models/face/NOTICE) with its
output renamed to 'expression'; the golden vectors are models/face/golden's expression cases.

What it is: a real trained classifier of seven basic facial expressions (neutral, happy, sad,
angry, fearful, disgusted, surprised). It does not measure valence/arousal and it does not measure
pain.
"""


def manifest():
    return {
        "schemaVersion": 2,
        "id": "expression",
        "version": "1.0.0",
        "task": "expression",
        "description": DESCRIPTION,
        "source": {"exporter": "models/export/expression_pack.py", "weights": "trained: face-api.js 1.7.15 (npm @vladmandic/face-api)"},
        "clipSpacingFrames": CLIP_SPACING_FRAMES,
        "modalities": [{
            "name": "visual",
            "kind": "video",
            "streams": [{
                "name": "visual",
                "recipe": "faceClip",
                "faceClip": {
                    "frameRate": 30,
                    "clipFrames": 1,
                    "dilation": 1,
                    "spanFrames": 1,
                    "width": 112,
                    "height": 112,
                    "pixelOrder": "RGB",
                    # Plain 0-255 pixels: the network subtracts its mean and divides by 255 itself.
                    "scale": 1.0,
                    "mean": [0.0, 0.0, 0.0],
                    "std": [1.0, 1.0, 1.0],
                    "face": {"detector": "tinyFaceDetector", "crop": "landmarkBox"},
                },
                "backbone": {
                    "file": MODEL_FILE,
                    "inputs": [{"name": "face", "elementType": "float32", "layout": "NCHW", "shape": [1, 3, 112, 112]}],
                    "outputs": [{"name": OUTPUT, "elementType": "float32", "shape": [1, len(CLASSES)]}],
                },
            }],
            "missing": {"substitute": "black"},
        }],
        "outputs": [{
            "name": OUTPUT,
            "kind": "classProbabilities",
            "meaning": "Which of seven basic facial expressions the face shows, with each one's probability "
                       "(face-api.js's softmax); not valence/arousal, not pain",
            "classes": CLASSES,
        }],
        "golden": {
            # ONNX Runtime against PyTorch on the same crops: models/face measures within 5e-7.
            "tolerance": 1e-4,
            "fp16Tolerance": 1e-2,
            "cases": [{
                "model": "visual",
                "inputs": {"face": f"golden/{case}_face.npy"},
                "outputs": {OUTPUT: f"golden/{case}_{OUTPUT}.npy"},
            } for case in GOLDEN_CASES],
        },
    }


def renamed_model(source, output_name):
    """The network with its single output renamed (the pack's output name; nothing else changes)."""
    model = onnx.load(source)
    (old,) = [o.name for o in model.graph.output]
    for node in model.graph.node:
        node.output[:] = [output_name if n == old else n for n in node.output]
    model.graph.output[0].name = output_name
    onnx.checker.check_model(model)
    return model


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "packs", "expression"))
    args = ap.parse_args(argv)

    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    os.makedirs(os.path.join(args.out, "golden"))
    onnx.save(renamed_model(os.path.join(FACE, "face_expression.onnx"), OUTPUT), os.path.join(args.out, MODEL_FILE))
    for case in GOLDEN_CASES:
        shutil.copyfile(os.path.join(FACE, "golden", f"{case}_face0_expression_crop.npy"),
                        os.path.join(args.out, "golden", f"{case}_face.npy"))
        shutil.copyfile(os.path.join(FACE, "golden", f"{case}_face0_expressions.npy"),
                        os.path.join(args.out, "golden", f"{case}_{OUTPUT}.npy"))
    shutil.copyfile(os.path.join(FACE, "LICENSE.face-api"), os.path.join(args.out, "LICENSE.face-api"))
    with open(os.path.join(args.out, "NOTICE"), "w", encoding="utf-8") as f:
        f.write(NOTICE)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest(), f, indent=2)
        f.write("\n")
    print(f"wrote {args.out}: {MODEL_FILE}, {len(GOLDEN_CASES)} golden cases, manifest.json")


if __name__ == "__main__":
    main()
