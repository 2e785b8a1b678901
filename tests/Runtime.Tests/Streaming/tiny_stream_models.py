"""Tiny torch models for the pipeline's manifest-v2 tests (synthetic weights, fixed seed).

usage: tiny_stream_models.py OUT_DIR

Writes into OUT_DIR (a copy of affect-tiny or pain-tiny):
  audio_wave.onnx      waveform [1, 8000] -> feature [1, 24]        (a raw-waveform backbone)
  fusion3.onnx         visual [1,4,64], logmel [1,4,64], wave [1,4,24] -> valence [4,1] (time axis 0),
                       arousal [1,4,1] (time axis 1)                 (a three-stream head)
  visual_image.onnx    face [1,3,112,112] -> pain_probability [1,1], pain_level [1,5]
                                                                     (one face per clip, no fusion)
  imagine_audio.onnx   visual_feature [1,64] -> audio_feature [1,64] (an imagination model)
  face_feature.onnx    face [1,3,112,112] -> feature [1,24]          (a second, one-image visual stream)
"""
import os
import sys

import torch
from torch import nn

torch.manual_seed(14)


class WaveBackbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 8, kernel_size=64, stride=32)
        self.fc = nn.Linear(8, 24)

    def forward(self, waveform):
        x = torch.relu(self.conv(waveform.unsqueeze(1)))
        return self.fc(x.mean(dim=2))


class ThreeStreamHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64 + 64 + 24, 2)

    def forward(self, visual, logmel, wave):
        y = self.fc(torch.cat([visual, logmel, wave], dim=2))[0]  # [4, 2]
        return y[:, 0:1], y[:, 1].reshape(1, -1, 1)


class FaceImage(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, kernel_size=8, stride=8)
        self.fc = nn.Linear(6, 6)

    def forward(self, face):
        y = self.fc(torch.relu(self.conv(face)).mean(dim=(2, 3)))  # [1, 6]
        return torch.sigmoid(y[:, 0:1]), y[:, 1:6]


class FaceFeature(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, kernel_size=8, stride=8)
        self.fc = nn.Linear(6, 24)

    def forward(self, face):
        return self.fc(torch.relu(self.conv(face)).mean(dim=(2, 3)))


class Imagine(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 64)

    def forward(self, visual_feature):
        return torch.tanh(self.fc(visual_feature)) * 3


def export(model, inputs, path, input_names, output_names):
    model.eval()
    with torch.no_grad():
        torch.onnx.export(model, inputs, path, input_names=input_names, output_names=output_names, opset_version=17)


def main(out):
    export(WaveBackbone(), (torch.zeros(1, 8000),), os.path.join(out, "audio_wave.onnx"), ["waveform"], ["feature"])
    export(ThreeStreamHead(), (torch.zeros(1, 4, 64), torch.zeros(1, 4, 64), torch.zeros(1, 4, 24)),
           os.path.join(out, "fusion3.onnx"), ["visual_features", "logmel_features", "wave_features"], ["valence", "arousal"])
    export(FaceImage(), (torch.zeros(1, 3, 112, 112),), os.path.join(out, "visual_image.onnx"), ["face"], ["pain_probability", "pain_level"])
    export(Imagine(), (torch.zeros(1, 64),), os.path.join(out, "imagine_audio.onnx"), ["visual_feature"], ["audio_feature"])
    export(FaceFeature(), (torch.zeros(1, 3, 112, 112),), os.path.join(out, "face_feature.onnx"), ["face"], ["feature"])


if __name__ == "__main__":
    main(sys.argv[1])
