namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>
/// Causal Butterworth low-pass of order 1..8 (like scipy.signal.butter + lfilter, not the
/// zero-phase filtfilt): the analog prototype's pole pairs become second-order sections through
/// the bilinear transform with the cutoff prewarped, so the gain at <see cref="CutoffHz"/> is
/// exactly -3.01 dB and the DC gain exactly 1. Sections run in transposed direct form II, in
/// double; state carries across calls so a stream can be filtered sample by sample.
/// Not thread-safe.
/// </summary>
public sealed class ButterworthLowpass
{
    public const int MaxOrder = 8;

    private readonly Section[] sections;

    /// <exception cref="ArgumentOutOfRangeException">Order outside 1..8, or the cutoff not strictly between 0 and the Nyquist frequency.</exception>
    public ButterworthLowpass(int order, double cutoffHz, double sampleRateHz)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, MaxOrder);
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "sample rate must be positive and finite");
        }

        if (!double.IsFinite(cutoffHz) || cutoffHz <= 0 || cutoffHz >= sampleRateHz / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(cutoffHz), cutoffHz, $"cutoff must be in (0, {sampleRateHz / 2}) Hz, below the Nyquist frequency of {sampleRateHz} Hz");
        }

        Order = order;
        CutoffHz = cutoffHz;
        SampleRateHz = sampleRateHz;

        // Prewarped analog cutoff, in units where the bilinear transform is s = (z - 1) / (z + 1).
        var k = Math.Tan(Math.PI * cutoffHz / sampleRateHz);
        sections = new Section[(order + 1) / 2];
        for (var i = 0; i < order / 2; i++)
        {
            // Pole pair i has damping sin((2i + 1) pi / 2N), i.e. s^2 + 2 zeta s + 1 normalised.
            var twoZeta = 2.0 * Math.Sin((2 * i + 1) * Math.PI / (2.0 * order));
            var norm = 1.0 / (1.0 + (twoZeta * k) + (k * k));
            var b0 = k * k * norm;
            sections[i] = new Section(b0, 2.0 * b0, b0, 2.0 * ((k * k) - 1.0) * norm, (1.0 - (twoZeta * k) + (k * k)) * norm);
        }

        if (order % 2 == 1)
        {
            // The real pole s = -1 of an odd order: a first-order section.
            var norm = 1.0 / (1.0 + k);
            sections[^1] = new Section(k * norm, k * norm, 0.0, (k - 1.0) * norm, 0.0);
        }
    }

    public int Order { get; }

    public double CutoffHz { get; }

    public double SampleRateHz { get; }

    /// <summary>Filters one sample.</summary>
    public double Process(double x)
    {
        for (var i = 0; i < sections.Length; i++)
        {
            x = sections[i].Process(x);
        }

        return x;
    }

    /// <summary>Filters a block; <paramref name="output"/> may be the same memory as <paramref name="input"/>.</summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException($"output holds {output.Length} samples; input has {input.Length}", nameof(output));
        }

        for (var n = 0; n < input.Length; n++)
        {
            output[n] = (float)Process(input[n]);
        }
    }

    /// <summary>Clears the state: as if the input had been 0 forever.</summary>
    public void Reset() => Reset(0.0);

    /// <summary>Sets the state as if the input had been <paramref name="steadyValue"/> forever, so a stream starting there has no start-up transient.</summary>
    public void Reset(double steadyValue)
    {
        for (var i = 0; i < sections.Length; i++)
        {
            sections[i].Settle(steadyValue);
        }
    }

    /// <summary>One biquad, y = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2) x.</summary>
    private sealed class Section(double b0, double b1, double b2, double a1, double a2)
    {
        private double s1;
        private double s2;

        public double Process(double x)
        {
            var y = (b0 * x) + s1;
            s1 = (b1 * x) - (a1 * y) + s2;
            s2 = (b2 * x) - (a2 * y);
            return y;
        }

        /// <summary>The state a constant input (and, with unity DC gain, output) leaves behind.</summary>
        public void Settle(double value)
        {
            s2 = (b2 - a2) * value;
            s1 = ((b1 - a1) * value) + s2;
        }
    }
}
