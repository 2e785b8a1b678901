namespace EdgeEmotion.Sensors.Microphone;

/// <summary>
/// Reads one period at a time in the configured format into a reused interleaved buffer and
/// mixes it to mono. The buffer is cleared before each read: a file-backed PCM past its end
/// reports full reads without writing anything.
/// </summary>
internal sealed class PeriodReader(IAlsaCapture device, AlsaCaptureOptions options)
{
    private readonly int channels = options.Channels;
    private readonly short[]? s16 = options.SampleFormat == AlsaSampleFormat.S16 ? new short[options.PeriodFrames * options.Channels] : null;
    private readonly float[]? f32 = options.SampleFormat == AlsaSampleFormat.FloatLe ? new float[options.PeriodFrames * options.Channels] : null;

    /// <summary>Frames read (at most <paramref name="frames"/>), or a negative errno.</summary>
    public long Read(int frames)
    {
        if (s16 is not null)
        {
            Array.Clear(s16);
            return device.Read(s16, frames);
        }

        Array.Clear(f32!);
        return device.Read(f32, frames);
    }

    /// <summary>The first <c>mono.Length</c> frames of the last read, as mono floats.</summary>
    public void Mono(Span<float> mono)
    {
        if (s16 is not null)
        {
            MonoMixer.Mix(s16, channels, mono);
        }
        else
        {
            MonoMixer.Mix(f32, channels, mono);
        }
    }
}
