#!/usr/bin/env python3
"""Export the single-modality per-clip visual example (no fusion, one face image per clip,
window-level outputs [1, 1]) to an import-ready folder.

    /usr/bin/python3 models/examples/per_clip_visual/export.py [--out build/examples/per_clip_visual]
    ./bin/edgeemo models import build/examples/per_clip_visual --out models/examples/packs/per_clip_visual
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "models", "export"))
sys.path.insert(0, HERE)

from edgeemo_import import Modality, Output, Stream, export_pack, face_clip  # noqa: E402
from model import build  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "examples", "per_clip_visual"))
    args = ap.parse_args(argv)
    image = face_clip(frame_rate=30, clip_frames=1, dilation=1, width=64, height=64,
                      mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5))
    export_pack(
        args.out,
        pack_id="per-clip-visual",
        version="1.0.0",
        task="affect",
        description="Example: one face image per clip, a single-modality model without fusion, window-level "
                    "outputs [1, 1] (synthetic weights: shows the manifest path, not predictions)",
        weights="synthetic",
        seed=1403,
        torch_threads=2,
        clip_spacing_frames=15,  # two scores a second at 30 fps
        modalities=[Modality("visual", "video", [Stream("visual", image, build(), input_shape=[1, 3, 64, 64],
                                                        input_name="image")])],
        fusion=None,
        outputs=[
            Output("valence", "regression", "Valence: how pleasant the expressed emotion is, -1 to +1",
                   min=-1.0, max=1.0, smoothing_frames=20),
            Output("arousal", "regression", "Arousal: how activated the expressed emotion is, -1 to +1",
                   min=-1.0, max=1.0, smoothing_frames=50),
        ],
    )


if __name__ == "__main__":
    main()
