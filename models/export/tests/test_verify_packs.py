"""verify_packs.py on version 1 and 2 packs: the committed ones pass, broken version 2 manifests
are named (the ONNX files stay the same; only manifest.json is rewritten, which no hash covers).

    /usr/bin/python3 -m unittest discover -s models/export/tests -v
"""

import json
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(HERE, ".."))

import verify_packs  # noqa: E402

PACKS = [os.path.join(ROOT, "models", "packs", p) for p in ("affect-tiny", "pain-tiny")]
EXAMPLES = [os.path.join(ROOT, "models", "examples", "packs", p)
            for p in ("jmt_two_audio", "jca_window8", "per_clip_visual", "affect_imagine")]


class VerifyPacksTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="edgeemo-verify-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def broken(self, example, edit):
        """A copy of an example pack with `edit(manifest)` applied; returns verify's problems."""
        pack = tempfile.mkdtemp(dir=self.tmp)
        os.rmdir(pack)
        shutil.copytree(example, pack)
        path = os.path.join(pack, "manifest.json")
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
        edit(m)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(m, f)
        return verify_packs.verify(pack)

    def test_committed_version_1_and_2_packs_pass(self):
        for pack in PACKS + EXAMPLES:
            self.assertEqual([], verify_packs.verify(pack), pack)

    def test_a_fusion_input_that_does_not_fit_its_streams_feature_size(self):
        def edit(m):
            m["fusion"]["inputs"][2]["shape"] = [1, 16, 512]
        problems = self.broken(EXAMPLES[0], edit)
        self.assertIn("fusion: input wave_features is not [1, window, featureDim of audio_wave]", problems)

    def test_a_score_layout_the_runtime_does_not_read(self):
        def edit(m):
            del m["fusion"]["outputs"][0]["timeAxis"]
        problems = self.broken(EXAMPLES[0], edit)
        self.assertTrue(any(p.startswith("fusion: output valence [16, 1]: a window-level output") for p in problems), problems)

    def test_an_imagination_model_fed_from_its_own_modality(self):
        def edit(m):
            m["modalities"][1]["streams"][0]["imagination"]["inputs"][0]["stream"] = "audio"
        problems = self.broken(EXAMPLES[3], edit)
        self.assertIn("stream audio: imagination input 'audio' is not a stream of another modality", problems)

    def test_a_waveform_length_the_backbone_does_not_take(self):
        def edit(m):
            m["modalities"][1]["streams"][1]["waveform"]["samples"] = 8000
        problems = self.broken(EXAMPLES[0], edit)
        self.assertIn("stream audio_wave: backbone input is not one of [[1, 8000], [1, 1, 8000]]", problems)

    def test_version_1_fields_in_a_version_2_fusion_and_unknown_versions(self):
        def edit(m):
            m["fusion"]["featureDim"] = 64
        self.assertIn("fusion: featureDim and clipSpacingFrames are version 1 fields", self.broken(EXAMPLES[1], edit))

        def edit3(m):
            m["schemaVersion"] = 3
        self.assertEqual(["manifest: schemaVersion 3 is not 1 or 2"], self.broken(EXAMPLES[1], edit3))


if __name__ == "__main__":
    unittest.main()
