using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>
/// The raw-waveform recipe's last step: a segment of samples (already at the stream's rate, left
/// zero padded) normalised as the backbone was trained: <c>none</c>, <c>zscore</c>
/// ((x - mean) / sqrt(var + 1e-7) over the segment) or <c>peak</c> (x / max|x|; silence stays 0).
/// </summary>
public sealed class WaveformNormalizer
{
    public const string None = "none";
    public const string ZScore = "zscore";
    public const string Peak = "peak";

    /// <summary>Added to the variance so a silent segment stays finite (zeros), as torch code usually does.</summary>
    public const double VarianceEpsilon = 1e-7;

    private readonly string normalization;

    /// <exception cref="ArgumentException">The spec's normalisation is not one of none, zscore, peak.</exception>
    public WaveformNormalizer(WaveformSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Normalization is not (None or ZScore or Peak))
        {
            throw new ArgumentException($"waveform normalization '{spec.Normalization}' is not one of {None}, {ZScore}, {Peak}", nameof(spec));
        }

        normalization = spec.Normalization;
        SampleRate = spec.SampleRate;
        Samples = spec.Samples;
    }

    /// <summary>The stream's rate: the source is resampled to it.</summary>
    public int SampleRate { get; }

    /// <summary>Samples per segment (the backbone input's length).</summary>
    public int Samples { get; }

    /// <summary>Writes the normalised <paramref name="segment"/> to <paramref name="destination"/> (both <see cref="Samples"/> long).</summary>
    public void Normalize(ReadOnlySpan<float> segment, Span<float> destination)
    {
        if (segment.Length != Samples || destination.Length != Samples)
        {
            throw new ArgumentException($"a waveform segment is {Samples} samples, not {segment.Length} into {destination.Length}");
        }

        switch (normalization)
        {
            case ZScore:
                // Sums in double: a second of 16 kHz audio in float would lose the mean's low bits.
                var sum = 0.0;
                foreach (var x in segment)
                {
                    sum += x;
                }

                var mean = sum / segment.Length;
                var squares = 0.0;
                foreach (var x in segment)
                {
                    squares += (x - mean) * (x - mean);
                }

                var scale = 1 / Math.Sqrt((squares / segment.Length) + VarianceEpsilon);
                for (var i = 0; i < segment.Length; i++)
                {
                    destination[i] = (float)((segment[i] - mean) * scale);
                }

                break;
            case Peak:
                var peak = 0f;
                foreach (var x in segment)
                {
                    peak = Math.Max(peak, Math.Abs(x));
                }

                for (var i = 0; i < segment.Length; i++)
                {
                    destination[i] = peak > 0 ? (float)(segment[i] / (double)peak) : 0;
                }

                break;
            default:
                segment.CopyTo(destination);
                break;
        }
    }
}
