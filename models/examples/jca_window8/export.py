#!/usr/bin/env python3
"""Export the joint-cross-attention-style example (window 8, outputs [1, S, 1]) to an import-ready folder.

    /usr/bin/python3 models/examples/jca_window8/export.py [--out build/examples/jca_window8]
    ./bin/edgeemo models import build/examples/jca_window8 --out models/examples/packs/jca_window8
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "models", "export"))
sys.path.insert(0, HERE)

from edgeemo_import import Fusion, Modality, Output, Stream, export_pack, face_clip, logmel  # noqa: E402
from model import build  # noqa: E402

WINDOW = 8


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "examples", "jca_window8"))
    args = ap.parse_args(argv)
    face, voice, head = build(window=WINDOW)
    export_pack(
        args.out,
        pack_id="jca-window8",
        version="1.0.0",
        task="affect",
        description="Example: joint-cross-attention-style head over face clips and log-mel audio, window 8, "
                    "outputs [1, S, 1] (synthetic weights: shows the manifest path, not predictions)",
        weights="synthetic",
        seed=1402,
        torch_threads=2,
        clip_spacing_frames=16,
        modalities=[
            # 8 frames 2 apart: a clip spans 16 frames (0.53 s at 30 fps), one clip every 16 frames.
            Modality("visual", "video", [Stream("visual", face_clip(frame_rate=30, clip_frames=8, dilation=2,
                                                                    width=96, height=96), face)]),
            Modality("audio", "audio", [Stream("audio", logmel(), voice)]),
        ],
        fusion=Fusion(head, inputs=["visual", "audio"], window=WINDOW),
        outputs=[
            Output("valence", "regression", "Valence: how pleasant the expressed emotion is, -1 to +1",
                   min=-1.0, max=1.0, time_axis=1),
            Output("arousal", "regression", "Arousal: how activated the expressed emotion is, -1 to +1",
                   min=-1.0, max=1.0, time_axis=1),
        ],
    )


if __name__ == "__main__":
    main()
