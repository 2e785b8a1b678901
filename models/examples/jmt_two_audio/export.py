#!/usr/bin/env python3
"""Export the JMT-style two-audio-stream example to an import-ready folder.

    /usr/bin/python3 models/examples/jmt_two_audio/export.py [--out build/examples/jmt_two_audio]
    ./bin/edgeemo models import build/examples/jmt_two_audio --out models/examples/packs/jmt_two_audio
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "models", "export"))
sys.path.insert(0, HERE)

from edgeemo_import import Fusion, Modality, Output, Stream, export_pack, face_clip, logmel, waveform  # noqa: E402
from model import build  # noqa: E402

WINDOW = 16


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "examples", "jmt_two_audio"))
    args = ap.parse_args(argv)
    face, mel, wave, head = build(window=WINDOW)
    export_pack(
        args.out,
        pack_id="jmt-two-audio",
        version="1.0.0",
        task="affect",
        description="Example: JMT-style joint transformer over a face clip, a log-mel and a 16 kHz waveform "
                    "stream (768-d), outputs [S, 1] (synthetic weights: shows the manifest path, not predictions)",
        weights="synthetic",
        seed=1401,
        torch_threads=2,
        clip_spacing_frames=32,
        modalities=[
            Modality("visual", "video", [Stream("visual", face_clip(frame_rate=30, clip_frames=8, dilation=4), face)]),
            Modality("audio", "audio", [
                Stream("audio_logmel", logmel(), mel),
                Stream("audio_wave", waveform(sample_rate=16000, samples=16000, normalization="zscore"), wave),
            ]),
        ],
        fusion=Fusion(head, inputs=["visual", "audio_logmel", "audio_wave"], window=WINDOW,
                      input_names=["visual_features", "logmel_features", "wave_features"]),
        outputs=[
            Output("valence", "regression", "Valence: how pleasant the expressed emotion is, -1 to +1",
                   min=-1.0, max=1.0, smoothing_frames=20, time_axis=0),
            Output("arousal", "regression", "Arousal: how activated the expressed emotion is, -1 to +1",
                   min=-1.0, max=1.0, smoothing_frames=50, time_axis=0),
        ],
    )


if __name__ == "__main__":
    main()
