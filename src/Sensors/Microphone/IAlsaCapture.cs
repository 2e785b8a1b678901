namespace EdgeEmotion.Sensors.Microphone;

/// <summary>
/// An open capture PCM, as <see cref="AlsaCaptureSource"/> uses it. <see cref="AlsaPcm"/> is the
/// real one; tests wrap it to inject faults (an overrun, a lost device) around real libasound.
/// </summary>
public interface IAlsaCapture : IDisposable
{
    /// <summary>The PCM name it was opened with.</summary>
    string Device { get; }

    /// <summary>Reads up to <paramref name="frames"/> interleaved S16 frames; frames read, or a negative errno (-EPIPE on overrun).</summary>
    long Read(Span<short> buffer, int frames);

    /// <summary>Reads up to <paramref name="frames"/> interleaved float frames; frames read, or a negative errno.</summary>
    long Read(Span<float> buffer, int frames);

    /// <summary>snd_pcm_recover: 0 when the stream runs again after <paramref name="errorCode"/>, else a negative errno.</summary>
    int Recover(int errorCode);
}
