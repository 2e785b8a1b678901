namespace EdgeEmotion.Sensors.Microphone;

/// <summary>
/// Interleaved PCM frames to mono floats in [-1, 1]: channels are averaged, S16 is scaled by
/// 1/32768; a float frame holding NaN or infinity gives NaN (an invalid sample).
/// </summary>
internal static class MonoMixer
{
    public static void Mix(ReadOnlySpan<short> interleaved, int channels, Span<float> mono)
    {
        var scale = 1f / (32768f * channels);
        for (var frame = 0; frame < mono.Length; frame++)
        {
            var sum = 0;
            var first = frame * channels;
            for (var c = 0; c < channels; c++)
            {
                sum += interleaved[first + c];
            }

            mono[frame] = sum * scale;
        }
    }

    public static void Mix(ReadOnlySpan<float> interleaved, int channels, Span<float> mono)
    {
        if (channels == 1)
        {
            interleaved[..mono.Length].CopyTo(mono);
        }
        else
        {
            var scale = 1f / channels;
            for (var frame = 0; frame < mono.Length; frame++)
            {
                var sum = 0f;
                var first = frame * channels;
                for (var c = 0; c < channels; c++)
                {
                    sum += interleaved[first + c];
                }

                mono[frame] = sum * scale;
            }
        }

        // Clamped to full scale, except samples that are not numbers: NaN stays NaN and infinity
        // becomes NaN, so the pipeline counts them as invalid instead of as loud audio.
        for (var i = 0; i < mono.Length; i++)
        {
            mono[i] = float.IsFinite(mono[i]) ? Math.Clamp(mono[i], -1f, 1f) : float.NaN;
        }
    }
}
