#!/usr/bin/env python3
"""Export the affect example with an audio imagination model (missing.substitute "imagine") to
an import-ready folder.

    /usr/bin/python3 models/examples/affect_imagine/export.py [--out build/examples/affect_imagine]
    ./bin/edgeemo models import build/examples/affect_imagine --out models/examples/packs/affect_imagine
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "models", "export"))
sys.path.insert(0, HERE)

from edgeemo_import import Fusion, Imagination, Modality, Output, Stream, export_pack, face_clip, logmel  # noqa: E402
from model import build  # noqa: E402

WINDOW = 16


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "examples", "affect_imagine"))
    args = ap.parse_args(argv)
    visual, audio, imagine, head = build(window=WINDOW)
    export_pack(
        args.out,
        pack_id="affect-imagine",
        version="1.0.0",
        task="affect",
        description="Example: face video + voice with an audio imagination model (visual feature -> audio feature) "
                    "used when the audio is missing (synthetic weights: shows the manifest path, not predictions)",
        weights="synthetic",
        seed=1404,
        torch_threads=2,
        clip_spacing_frames=32,
        modalities=[
            Modality("visual", "video", [Stream("visual", face_clip(frame_rate=30, clip_frames=8, dilation=4), visual)]),
            Modality("audio", "audio", [Stream("audio", logmel(), audio,
                                               imagination=Imagination(imagine, inputs=["visual"]))],
                     missing="imagine"),
        ],
        fusion=Fusion(head, inputs=["visual", "audio"], window=WINDOW),
        outputs=[
            Output("valence", "regression", "Valence: how pleasant the expressed emotion is, -1 to +1",
                   min=-1.0, max=1.0, smoothing_frames=20, time_axis=1),
            Output("arousal", "regression", "Arousal: how activated the expressed emotion is, -1 to +1",
                   min=-1.0, max=1.0, smoothing_frames=50, time_axis=1),
        ],
    )


if __name__ == "__main__":
    main()
