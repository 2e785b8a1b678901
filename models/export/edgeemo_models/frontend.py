"""The affect audio front end, as torchaudio computes it (the parity target for the C# side)."""

import torch
import torchaudio
from torch import nn


class LogMelFrontend(nn.Module):
    """waveform [N] or [1, N] at 44.1 kHz -> normalised log-mel [1, n_mels, frames].

    MelSpectrogram(44100, n_fft 1024, win 882, hop 441, 64 mels, power 2, hann, center, reflect,
    htk, no norm, f 0..22050) -> AmplitudeToDB(power, top_db 80) -> (x + offset) / scale.

    AmplitudeToDB: dB = 10 * log10(max(P, 1e-10)); then dB = max(dB, max(dB) - 80) where max(dB)
    is over the whole [n_mels, frames] spectrogram of the segment (for a [1, M, T] input torchaudio
    packs the leading dim as one channel of one item, so the max spans all of it).
    """

    def __init__(self, sample_rate=44100, n_fft=1024, win_length=882, hop_length=441, n_mels=64,
                 f_min=0.0, f_max=None, top_db=80.0, norm_offset=14.8, norm_scale=19.895, power=2.0,
                 db_multiplier=10.0, center=True):
        super().__init__()
        if db_multiplier not in (10.0, 20.0):
            raise ValueError("db_multiplier must be 10 (power) or 20 (amplitude)")
        self.mel = torchaudio.transforms.MelSpectrogram(
            sample_rate=sample_rate, n_fft=n_fft, win_length=win_length, hop_length=hop_length,
            n_mels=n_mels, power=power, window_fn=torch.hann_window, center=center, pad_mode="reflect",
            mel_scale="htk", norm=None, f_min=f_min, f_max=f_max,
        )
        self.to_db = torchaudio.transforms.AmplitudeToDB(stype="power" if db_multiplier == 10.0 else "magnitude",
                                                      top_db=top_db)
        self.norm_offset = norm_offset
        self.norm_scale = norm_scale

    @torch.no_grad()
    def forward(self, waveform):
        if waveform.dim() == 1:
            waveform = waveform.unsqueeze(0)
        spec = self.mel(waveform.to(torch.float32))  # [1, n_mels, frames]
        db = self.to_db(spec)
        return (db + self.norm_offset) / self.norm_scale
