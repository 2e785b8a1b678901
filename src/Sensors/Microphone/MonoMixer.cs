namespace EdgeEmotion.Sensors.Microphone;

/// <summary>Interleaved PCM frames to mono floats in [-1, 1]: channels are averaged, S16 is scaled by 1/32768.</summary>
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

        for (var i = 0; i < mono.Length; i++)
        {
            mono[i] = Math.Clamp(mono[i], -1f, 1f);
        }
    }
}
