using EdgeEmotion.Runtime.Preprocessing;

namespace EdgeEmotion.Runtime.Tests.Preprocessing;

public sealed class ButterworthLowpassTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(8)]
    public void Passes_DC_with_unity_gain(int order)
    {
        var filter = new ButterworthLowpass(order, 3.0, 64.0);

        var y = 0.0;
        for (var n = 0; n < 64 * 60; n++)
        {
            y = filter.Process(1.0);
        }

        Assert.Equal(1.0, y, 9);
    }

    [Theory]
    [InlineData(1, 3.0, 64.0)]
    [InlineData(2, 3.0, 64.0)]
    [InlineData(3, 3.0, 64.0)]
    [InlineData(4, 3.0, 64.0)]
    [InlineData(1, 50.0, 1000.0)]
    [InlineData(2, 50.0, 1000.0)]
    [InlineData(3, 50.0, 1000.0)]
    [InlineData(4, 50.0, 1000.0)]
    public void Is_3_dB_down_at_the_cutoff(int order, double cutoff, double rate)
    {
        var gainDb = 20 * Math.Log10(SteadyStateGain(new ButterworthLowpass(order, cutoff, rate), cutoff, rate));

        Assert.True(Math.Abs(gainDb + 3.0103) <= 0.1, $"order {order}: {gainDb:F4} dB at the cutoff");
    }

    [Fact]
    public void Rejects_well_above_the_cutoff()
    {
        // Order 4 falls 24 dB per octave: three octaves above the cutoff is below -70 dB.
        var gainDb = 20 * Math.Log10(SteadyStateGain(new ButterworthLowpass(4, 50, 1000), 400, 1000));

        Assert.True(gainDb < -70, $"{gainDb:F1} dB at 400 Hz");
    }

    [Fact]
    public void Order_8_at_a_low_cutoff_is_stable()
    {
        var filter = new ButterworthLowpass(8, 0.5, 512);

        var peak = 0.0;
        var y = filter.Process(1.0);  // unit impulse
        for (var n = 0; n < 512 * 200; n++)
        {
            Assert.True(double.IsFinite(y));
            peak = Math.Max(peak, Math.Abs(y));
            y = filter.Process(0.0);
        }

        Assert.True(peak < 1, $"impulse response peak {peak}");
        Assert.True(Math.Abs(y) < 1e-12, $"impulse response after 200 s: {y:E2}");
    }

    [Fact]
    public void Reset_to_a_steady_value_has_no_start_up_transient()
    {
        var filter = new ButterworthLowpass(3, 3.0, 64.0);

        filter.Reset(7.5);

        for (var n = 0; n < 100; n++)
        {
            Assert.Equal(7.5, filter.Process(7.5), 12);
        }
    }

    [Fact]
    public void State_carries_across_blocks()
    {
        var signal = Enumerable.Range(0, 1000).Select(n => (float)Math.Sin(n * 0.37)).ToArray();
        var whole = new float[signal.Length];
        var blocks = new float[signal.Length];
        new ButterworthLowpass(4, 10, 100).Process(signal, whole);

        var streamed = new ButterworthLowpass(4, 10, 100);
        for (var start = 0; start < signal.Length; start += 77)
        {
            var length = Math.Min(77, signal.Length - start);
            streamed.Process(signal.AsSpan(start, length), blocks.AsSpan(start, length));
        }

        Assert.Equal(whole, blocks);
    }

    [Theory]
    [InlineData(0, 3.0, 64.0)]
    [InlineData(9, 3.0, 64.0)]
    [InlineData(2, 0.0, 64.0)]
    [InlineData(2, 32.0, 64.0)]
    [InlineData(2, 3.0, 0.0)]
    public void Rejects_an_impossible_design(int order, double cutoff, double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ButterworthLowpass(order, cutoff, rate));

    /// <summary>Amplitude of the filter's steady-state response to a unit sine, over whole cycles.</summary>
    private static double SteadyStateGain(ButterworthLowpass filter, double frequency, double rate)
    {
        var settle = (int)(rate * 20 / Math.Min(frequency, filter.CutoffHz));
        var samples = WholeCycleSamples(frequency, rate);
        var periods = Math.Max(1, 2000 / samples);
        double sin = 0, cos = 0;
        for (var n = 0; n < settle + (periods * samples); n++)
        {
            var phase = 2 * Math.PI * frequency * n / rate;
            var y = filter.Process(Math.Sin(phase));
            if (n >= settle)
            {
                sin += y * Math.Sin(phase);
                cos += y * Math.Cos(phase);
            }
        }

        var count = periods * samples;
        return 2 * Math.Sqrt((sin * sin) + (cos * cos)) / count;
    }

    /// <summary>The shortest run of samples holding a whole number of cycles.</summary>
    private static int WholeCycleSamples(double frequency, double rate)
    {
        for (var samples = 1; samples < 100_000; samples++)
        {
            var cycles = frequency * samples / rate;
            if (Math.Abs(cycles - Math.Round(cycles)) < 1e-9)
            {
                return samples;
            }
        }

        throw new ArgumentException($"{frequency} Hz at {rate} Hz has no short whole-cycle run");
    }
}
