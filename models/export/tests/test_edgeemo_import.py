"""edgeemo_import: what it writes, and the clear errors for the usual mistakes.

    /usr/bin/python3 -m unittest discover -s models/export/tests -v

Tiny modules (16x16 face images, 800-sample waveforms) so that each case takes well under a second.
"""

import json
import os
import shutil
import sys
import tempfile
import unittest

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from edgeemo_import import (  # noqa: E402
    Fusion,
    Imagination,
    Modality,
    Output,
    PackExportError,
    Stream,
    export_pack,
    face_clip,
    logmel,
    waveform,
)

IMAGE = face_clip(frame_rate=30, clip_frames=1, dilation=1, width=16, height=16)
WAVE = waveform(sample_rate=8000, samples=800, normalization="peak")
WINDOW = 4


class ImageNet(nn.Module):
    def __init__(self, dim=8, outputs=None):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, stride=2, padding=1)
        self.fc = nn.Linear(4, dim)
        self.outputs = outputs

    def forward(self, x):
        h = torch.tanh(self.fc(torch.relu(self.conv(x)).mean(dim=(2, 3))))
        if self.outputs:
            return {name: h[:, i:i + 1] for i, name in enumerate(self.outputs)}
        return h


class WaveNet(nn.Module):
    def __init__(self, dim=6):
        super().__init__()
        self.conv = nn.Conv1d(1, 4, 16, stride=8)
        self.fc = nn.Linear(4, dim)

    def forward(self, w):
        return torch.tanh(self.fc(torch.relu(self.conv(w.unsqueeze(1))).mean(dim=2)))


class Head(nn.Module):
    """[1, S, 8] + [1, S, 6] -> valence and arousal [S, 1]."""

    def __init__(self, dims=(8, 6), time_major=True, use_audio=True):
        super().__init__()
        self.fc = nn.Linear(sum(dims), 2)
        self.time_major = time_major
        self.use_audio = use_audio

    def forward(self, visual, audio):
        x = torch.cat([visual, audio if self.use_audio else torch.zeros_like(audio)], dim=-1)[0]  # [S, 14]
        va = torch.tanh(self.fc(x))  # [S, 2]
        if self.time_major:
            return va[:, 0:1], va[:, 1:2]
        return va[:, 0].unsqueeze(0), va[:, 1].unsqueeze(0)  # [1, S]


class Imagine(nn.Module):
    def __init__(self, dim_in=8, dim_out=6):
        super().__init__()
        self.fc = nn.Linear(dim_in, dim_out)

    def forward(self, v):
        return torch.tanh(self.fc(v))


def outputs(time_axis=0):
    return [Output("valence", "regression", "v", min=-1.0, max=1.0, time_axis=time_axis),
            Output("arousal", "regression", "a", min=-1.0, max=1.0, time_axis=time_axis)]


class ExportTests(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.tmp = tempfile.mkdtemp(prefix="edgeemo-import-test-")
        self.out = os.path.join(self.tmp, "pack")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def export(self, visual=None, audio=None, head=None, fusion_inputs=("visual", "audio"), outs=None,
               audio_missing=None, imagination=None, visual_stream="visual", **kwargs):
        visual = visual if visual is not None else ImageNet().eval()
        audio = audio if audio is not None else WaveNet().eval()
        head = head if head is not None else Head().eval()
        return export_pack(
            self.out, pack_id="test-pack", version="0.1.0", task="affect", description="test",
            clip_spacing_frames=15,
            modalities=[
                Modality("visual", "video", [Stream(visual_stream, IMAGE, visual, input_shape=[1, 3, 16, 16])]),
                Modality("audio", "audio", [Stream("audio", WAVE, audio, imagination=imagination)], missing=audio_missing),
            ],
            fusion=Fusion(head, inputs=list(fusion_inputs), window=WINDOW),
            outputs=outs or outputs(), **kwargs)

    def assertError(self, pattern, fn, *args, **kwargs):
        with self.assertRaises(PackExportError) as ctx:
            fn(*args, **kwargs)
        self.assertRegex(str(ctx.exception), pattern)
        self.assertFalse(os.path.exists(self.out), "nothing may be written when a check fails")
        return str(ctx.exception)

    # ---------------------------------------------------------------- what it writes

    def test_a_fusion_pack_is_a_v2_manifest_without_files_and_goldens_from_pytorch(self):
        m = self.export()
        with open(os.path.join(self.out, "manifest.json"), encoding="utf-8") as f:
            on_disk = json.load(f)
        self.assertEqual(m, on_disk)
        self.assertEqual(2, m["schemaVersion"])
        self.assertNotIn("files", m)
        self.assertEqual(15, m["clipSpacingFrames"])
        visual, audio = (mod["streams"][0] for mod in m["modalities"])
        self.assertEqual(("faceClip", 8, [1, 3, 16, 16]), (visual["recipe"], visual["featureDim"],
                                                           visual["backbone"]["inputs"][0]["shape"]))
        self.assertEqual({"sampleRate": 8000, "samples": 800, "padding": "left-zero", "normalization": "peak"},
                         audio["waveform"])
        self.assertEqual([1, 800], audio["backbone"]["inputs"][0]["shape"])
        fusion = m["fusion"]
        self.assertEqual([("visual", [1, 4, 8]), ("audio", [1, 4, 6])],
                         [(i["stream"], i["shape"]) for i in fusion["inputs"]])
        self.assertEqual([([4, 1], 0), ([4, 1], 0)], [(o["shape"], o["timeAxis"]) for o in fusion["outputs"]])
        self.assertEqual(["visual", "audio", "fusion"], [c["model"] for c in m["golden"]["cases"]])
        self.assertNotIn("logmel", m["golden"])  # no logmel stream, no parity cases
        for f in ("visual.onnx", "audio.onnx", "fusion.onnx"):
            self.assertTrue(os.path.isfile(os.path.join(self.out, f)))

    def test_the_fusion_goldens_are_the_heads_outputs_on_the_backbones_features(self):
        visual, audio, head = ImageNet().eval(), WaveNet().eval(), Head().eval()
        m = self.export(visual, audio, head)
        case = m["golden"]["cases"][2]
        load = lambda rel: torch.from_numpy(np.load(os.path.join(self.out, rel)))  # noqa: E731
        v, a = load(case["inputs"]["visual_features"]), load(case["inputs"]["audio_features"])
        self.assertEqual((torch.float32, [1, 4, 8], [1, 4, 6]), (v.dtype, list(v.shape), list(a.shape)))
        self.assertTrue(all(len(set(map(tuple, x[0].tolist()))) == 4 for x in (v, a)), "four distinct clips")
        with torch.no_grad():
            want_v, want_a = head(v, a)
            # each row is the backbone's feature of a recipe-shaped input (the runtime's path)
            self.assertLessEqual(float(v.abs().max()), 1.0)
        torch.testing.assert_close(load(case["outputs"]["valence"]), want_v, rtol=0, atol=0)
        torch.testing.assert_close(load(case["outputs"]["arousal"]), want_a, rtol=0, atol=0)

    def test_a_module_stays_in_eval_mode_after_export(self):
        visual, audio, head = ImageNet().eval(), WaveNet().eval(), Head().eval()
        self.export(visual, audio, head)
        self.assertFalse(any(m.training for mod in (visual, audio, head) for m in mod.modules()))

    def test_a_backbone_that_does_not_take_its_recipe_input(self):
        def go():
            export_pack(self.out, pack_id="x", version="1", task="affect", description="d", clip_spacing_frames=15,
                        modalities=[Modality("visual", "video", [Stream("visual", IMAGE, ImageNet(outputs=["valence", "arousal"]).eval())])],
                        outputs=outputs(None))
        self.assertError(r"stream 'visual' backbone fails on its inputs \(clip \[1, 3, 1, 16, 16\]\): .*conv2d.*"
                         r"a stream may choose another input_shape its recipe allows", go)

    def test_the_same_seed_writes_the_same_goldens(self):
        torch.manual_seed(1)
        visual, audio, head = ImageNet().eval(), WaveNet().eval(), Head().eval()
        self.export(visual, audio, head)
        first = {f: np.load(os.path.join(self.out, "golden", f)) for f in os.listdir(os.path.join(self.out, "golden"))}
        self.export(visual, audio, head)
        for f, a in first.items():
            np.testing.assert_array_equal(a, np.load(os.path.join(self.out, "golden", f)), err_msg=f)

    def test_a_pack_without_fusion_scores_with_its_backbone_and_window_level_outputs(self):
        m = export_pack(self.out, pack_id="one", version="1", task="affect", description="d", clip_spacing_frames=15,
                        modalities=[Modality("visual", "video", [Stream("visual", IMAGE, ImageNet(outputs=["valence", "arousal"]).eval(),
                                                                        input_shape=[1, 3, 16, 16])])],
                        outputs=outputs(time_axis=None))
        self.assertNotIn("fusion", m)
        stream = m["modalities"][0]["streams"][0]
        self.assertNotIn("featureDim", stream)
        self.assertEqual([("valence", [1, 1]), ("arousal", [1, 1])],
                         [(o["name"], o["shape"]) for o in stream["backbone"]["outputs"]])
        self.assertTrue(all("timeAxis" not in o for o in stream["backbone"]["outputs"]))

    def test_imagination_is_exported_on_the_source_streams_golden_features(self):
        m = self.export(audio_missing="imagine", imagination=Imagination(Imagine().eval(), inputs=["visual"]))
        audio = m["modalities"][1]
        self.assertEqual({"substitute": "imagine"}, audio["missing"])
        im = audio["streams"][0]["imagination"]
        self.assertEqual(("imagine_audio.onnx", "visual", [1, 8], [1, 6]),
                         (im["file"], im["inputs"][0]["stream"], im["inputs"][0]["shape"], im["outputs"][0]["shape"]))
        cases = {c["model"]: c for c in m["golden"]["cases"]}
        np.testing.assert_array_equal(np.load(os.path.join(self.out, cases["visual"]["outputs"]["feature"])),
                                      np.load(os.path.join(self.out, cases["imagine.audio"]["inputs"]["visual_feature"])))

    def test_a_logmel_stream_brings_its_parity_cases(self):
        class Mel(nn.Module):
            def forward(self, x):
                return x.mean(dim=(2, 3)).repeat(1, 6)

        m = export_pack(
            self.out, pack_id="mel", version="1", task="affect", description="d", clip_spacing_frames=32,
            modalities=[Modality("visual", "video", [Stream("visual", IMAGE, ImageNet().eval(), input_shape=[1, 3, 16, 16])]),
                        Modality("audio", "audio", [Stream("audio", logmel(), Mel().eval())])],
            fusion=Fusion(Head().eval(), ["visual", "audio"], WINDOW), outputs=outputs())
        self.assertEqual([1, 1, 64, 104], m["modalities"][1]["streams"][0]["backbone"]["inputs"][0]["shape"])
        self.assertEqual(2, len(m["golden"]["logmel"]))
        self.assertEqual(1e-3, m["golden"]["logmelTolerance"])

    # ---------------------------------------------------------------- the usual mistakes

    def test_a_module_in_train_mode(self):
        msg = self.assertError(r"stream 'visual' backbone is in train mode .*call \.eval\(\)", self.export, visual=ImageNet())
        self.assertIn("(the module itself)", msg)
        self.assertError(r"the fusion module is in train mode", self.export, head=Head())

    def test_a_module_in_double_precision(self):
        self.assertError(r"stream 'audio' backbone: conv\.weight is torch\.float64: call \.float\(\) on the module",
                         self.export, audio=WaveNet().double().eval())

    def test_a_dynamic_output_shape(self):
        class Masked(ImageNet):
            def forward(self, x):
                h = super().forward(x)
                return h[:, h[0] > -2.0]  # always all 8 here, but the graph's size depends on the data

        self.assertError(r"visual\.onnx: tensor 'feature' has a dynamic dimension .*fixed shapes", self.export,
                         visual=Masked().eval())

    def test_a_sample_input_of_another_shape(self):
        def go():
            export_pack(self.out, pack_id="x", version="1", task="affect", description="d", clip_spacing_frames=15,
                        modalities=[Modality("visual", "video", [Stream("visual", IMAGE, ImageNet(outputs=["valence", "arousal"]).eval(),
                                                                        sample_input=torch.zeros(1, 3, 1, 32, 32))])],
                        outputs=outputs(None))
        self.assertError(r"stream 'visual': sample_input must be a tensor of shape \[1, 3, 1, 16, 16\], got \[1, 3, 1, 32, 32\]", go)

    def test_an_input_shape_the_recipe_does_not_give(self):
        def go():
            export_pack(self.out, pack_id="x", version="1", task="affect", description="d", clip_spacing_frames=15,
                        modalities=[Modality("audio", "audio", [Stream("audio", WAVE, WaveNet().eval(), input_shape=[1, 1, 1, 800])])],
                        outputs=[Output("valence", "regression", time_axis=None)])
        self.assertError(r"input_shape \[1, 1, 1, 800\] is not what the waveform recipe gives: \[1, 800\] or \[1, 1, 800\]", go)

    def test_output_names_that_do_not_match(self):
        self.assertError(r"returns a dict with keys \['valence', 'arousal'\] but the pack declares outputs \['valence', 'mood'\]",
                         lambda: export_pack(self.out, pack_id="x", version="1", task="affect", description="d",
                                             clip_spacing_frames=15,
                                             modalities=[Modality("visual", "video", [Stream("visual", IMAGE, ImageNet(outputs=["valence", "arousal"]).eval(),
                                                                                             input_shape=[1, 3, 16, 16])])],
                                             outputs=[Output("valence", "regression"), Output("mood", "regression")]))
        self.assertError(r"the fusion module returns 2 tensor\(s\) but the pack declares 1 output\(s\) \['valence'\]",
                         self.export, outs=[Output("valence", "regression", time_axis=0)])

    def test_feature_sizes_that_do_not_fit_the_fusion_head(self):
        msg = self.assertError(r"the fusion module fails on its inputs \(visual_features \[1, 4, 12\], audio_features \[1, 4, 6\]\): "
                               r".*the backbones give featureDim visual 12, audio 6",
                               self.export, visual=ImageNet(dim=12).eval())
        self.assertIn("make the head's input sizes match the backbones'", msg)
        self.assertError(r"stream 'audio' imagination returns \[1, 5\] but stream 'audio' has featureDim 6: it must return \[1, 6\]",
                         self.export, audio_missing="imagine", imagination=Imagination(Imagine(8, 5).eval(), ["visual"]))

    def test_a_backbone_that_does_not_give_one_feature_vector(self):
        class Map(ImageNet):
            def forward(self, x):
                return torch.relu(self.conv(x))  # [1, 4, 8, 8]: forgot to pool

        self.assertError(r"stream 'visual' backbone returns \[1, 4, 8, 8\]; with fusion a backbone returns one clip feature \[1, featureDim\]",
                         self.export, visual=Map().eval())

    def test_score_tensors_in_a_layout_the_runtime_does_not_read(self):
        msg = self.assertError(r"the fusion module output 'valence' has shape \[1, 4\]: axis 0 \(time\) has 1 positions but the window is 4",
                               self.export, head=Head(time_major=False).eval())
        self.assertIn("[1,S] [S,1] [1,S,1]", msg)
        self.assertError(r"output 'valence' has shape \[4, 1\]: a window-level output \(no time_axis\) is \[1, 1\]",
                         self.export, outs=outputs(time_axis=None))

    def test_a_fusion_input_the_head_ignores(self):
        self.assertError(r"fusion\.onnx: the graph's inputs \['visual_features'\] are not \['visual_features', 'audio_features'\]; "
                         r"the exporter drops inputs forward\(\) does not use: \['audio_features'\]",
                         self.export, head=Head(use_audio=False).eval())

    def test_declaration_mistakes(self):
        self.assertError(r"stream name 'Visual' is not a valid name", self.export, visual_stream="Visual")
        self.assertError(r"fusion inputs leave out stream\(s\) \['audio'\]", self.export, fusion_inputs=["visual"])
        self.assertError(r"fusion inputs \['video'\] are not streams of the pack", self.export, fusion_inputs=["video", "audio"])
        self.assertError(r"modality 'audio' has missing='imagine', so every stream of it needs an Imagination",
                         self.export, audio_missing="imagine")
        self.assertError(r"imagination input 'audio' is in modality 'audio' itself", self.export, audio_missing="imagine",
                         imagination=Imagination(Imagine(6, 6).eval(), ["audio"]))
        self.assertError(r"missing 'black' is not 'silence'", self.export, audio_missing="black")
        self.assertError(r"output 'valence': classes belong to a classLogits output", self.export,
                         outs=[Output("valence", "regression", classes=["a", "b"]), outputs()[1]])
        self.assertError(r"without fusion the pack has exactly one modality with one stream \(it has 2 streams\)",
                         lambda: export_pack(self.out, pack_id="x", version="1", task="affect", description="d",
                                             clip_spacing_frames=15,
                                             modalities=[Modality("visual", "video", [Stream("visual", IMAGE, ImageNet().eval())]),
                                                         Modality("audio", "audio", [Stream("audio", WAVE, WaveNet().eval())])],
                                             outputs=outputs()))

    def test_recipe_parameters_the_runtime_does_not_compute(self):
        with self.assertRaisesRegex(PackExportError, r"logmel melScale 'slaney' is not supported \(the runtime computes 'htk'\)"):
            logmel(melScale="slaney")
        with self.assertRaisesRegex(PackExportError, r"waveform normalization 'rms' is not one of \['none', 'zscore', 'peak'\]"):
            waveform(normalization="rms")
        with self.assertRaisesRegex(PackExportError, r"logmel: unknown parameter\(s\) \['n_mels'\]"):
            logmel(n_mels=40)
        with self.assertRaisesRegex(PackExportError, r"logmel fMax 22050 must be above fMin 0 and at most sampleRate/2 = 8000"):
            logmel(sampleRate=16000, fMax=22050)

    def test_a_logmel_at_another_rate_takes_that_rates_nyquist_frequency(self):
        self.assertEqual(8000, logmel(sampleRate=16000, segmentSamples=16000).params["fMax"])
        self.assertEqual(22050, logmel().params["fMax"])


if __name__ == "__main__":
    unittest.main()
