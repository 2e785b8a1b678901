using EdgeEmotion.Runtime.Preprocessing;

namespace EdgeEmotion.Runtime.Tests.Preprocessing;

public sealed class AudioResamplerTests
{
    private const double Amplitude = 0.5;

    [Theory]
    [InlineData(48000)]
    [InlineData(22050)]
    [InlineData(16000)]
    public void A_1_kHz_sine_keeps_its_frequency_amplitude_and_timing(int inputRate)
    {
        const int outputRate = 44100;
        var input = Sine(1000, inputRate, inputRate);  // 1 s

        var output = ResampleInBlocks(new AudioResampler(inputRate, outputRate), input, inputRate / 50);

        Assert.Equal(outputRate, output.Length);  // ceil(1 s x 44100)
        var steady = output.AsSpan(2000, outputRate - 4000);  // away from the silent edges
        var frequency = ZeroCrossingFrequency(steady, outputRate);
        Assert.True(Math.Abs(frequency - 1000) < 0.1, $"{inputRate} -> {outputRate}: {frequency:F4} Hz");
        var amplitude = AmplitudeAt(steady, 1000, outputRate, 4410);  // 100 cycles
        Assert.True(Math.Abs(amplitude - Amplitude) / Amplitude < 0.01, $"{inputRate} -> {outputRate}: amplitude {amplitude:F6}");

        // No delay: output n is the sine at n / outputRate.
        var worst = 0.0;
        for (var n = 2000; n < outputRate - 2000; n++)
        {
            worst = Math.Max(worst, Math.Abs(output[n] - (Amplitude * Math.Sin(2 * Math.PI * 1000 * n / outputRate))));
        }

        Assert.True(worst < 1e-3, $"{inputRate} -> {outputRate}: max deviation from the ideal sine {worst:E2}");
    }

    [Theory]
    [InlineData(48000, 44100, 44100)]
    [InlineData(22050, 44100, 44100)]
    [InlineData(44100, 16000, 16000)]
    [InlineData(22050, 44100, 1001)]
    public void Output_length_is_the_rate_ratio(int inputRate, int outputRate, int inputLength)
    {
        var output = ResampleInBlocks(new AudioResampler(inputRate, outputRate), new float[inputLength], 441);

        Assert.Equal((int)Math.Ceiling((double)inputLength * outputRate / inputRate), output.Length);
    }

    [Fact]
    public void Block_size_does_not_change_the_result()
    {
        var input = Sine(1234, 48000, 20000);
        var whole = ResampleInBlocks(new AudioResampler(48000, 44100), input, input.Length);

        var resampler = new AudioResampler(48000, 44100);
        var streamed = new List<float>();
        var random = new Random(3);
        for (var offset = 0; offset < input.Length;)
        {
            var length = Math.Min(random.Next(1, 700), input.Length - offset);
            streamed.AddRange(resampler.Process(input.AsSpan(offset, length)));
            offset += length;
        }

        streamed.AddRange(resampler.Flush());
        Assert.Equal(whole, streamed);
    }

    [Fact]
    public void Removes_what_the_lower_rate_cannot_hold()
    {
        // 10 kHz is above 16 kHz's Nyquist frequency: it must not alias into the output.
        var output = ResampleInBlocks(new AudioResampler(48000, 16000), Sine(10000, 48000, 48000), 960);

        var rms = Math.Sqrt(output.AsSpan(1000, 14000).ToArray().Average(v => (double)v * v));
        Assert.True(rms < 1e-3, $"aliased tone RMS {rms:E2}");
    }

    [Fact]
    public void DC_passes_with_unity_gain()
    {
        var input = Enumerable.Repeat(0.3f, 22050).ToArray();

        var output = ResampleInBlocks(new AudioResampler(22050, 44100), input, 441);

        Assert.All(output.AsSpan(200, output.Length - 400).ToArray(), v => Assert.Equal(0.3, v, 4));
    }

    [Fact]
    public void Equal_rates_copy_samples_unchanged()
    {
        var input = Sine(1000, 44100, 1000);
        var resampler = new AudioResampler(44100, 44100);

        var output = resampler.Process(input);

        Assert.True(resampler.IsIdentity);
        Assert.Equal(input, output);
        Assert.Empty(resampler.Flush());
    }

    [Fact]
    public void Flush_starts_a_new_stream()
    {
        var input = Sine(1000, 22050, 5000);
        var resampler = new AudioResampler(22050, 44100);
        var first = ResampleInBlocks(resampler, input, 500);

        var second = ResampleInBlocks(resampler, input, 500);

        Assert.Equal(first, second);
        Assert.Equal(0, resampler.InputCount);
    }

    [Fact]
    public void Refuses_a_rate_pair_that_needs_a_huge_table()
    {
        // 1000003 is prime: 44100 phases at a 23:1 reduction would need millions of taps.
        var e = Assert.Throws<ArgumentException>(() => new AudioResampler(1_000_003, 44100));

        Assert.Contains("1000003 Hz -> 44100 Hz", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_short_output_span()
    {
        var resampler = new AudioResampler(22050, 44100);

        Assert.Throws<ArgumentException>(() => resampler.Process(new float[100], new float[150]));
    }

    private static float[] ResampleInBlocks(AudioResampler resampler, float[] input, int blockLength)
    {
        var output = new List<float>();
        var buffer = new float[resampler.MaxOutputLength(blockLength)];
        for (var offset = 0; offset < input.Length; offset += blockLength)
        {
            var block = input.AsSpan(offset, Math.Min(blockLength, input.Length - offset));
            var written = resampler.Process(block, buffer);
            output.AddRange(buffer.AsSpan(0, written));
        }

        output.AddRange(resampler.Flush());
        return [.. output];
    }

    private static float[] Sine(double frequency, int rate, int length) =>
        Enumerable.Range(0, length).Select(n => (float)(Amplitude * Math.Sin(2 * Math.PI * frequency * n / rate))).ToArray();

    /// <summary>Frequency from the first and last upward zero crossings, located by linear interpolation.</summary>
    private static double ZeroCrossingFrequency(ReadOnlySpan<float> signal, int rate)
    {
        double? first = null;
        double last = 0;
        var crossings = 0;
        for (var n = 1; n < signal.Length; n++)
        {
            if (signal[n - 1] < 0 && signal[n] >= 0)
            {
                var t = (n - 1 + (signal[n - 1] / (double)(signal[n - 1] - signal[n]))) / rate;
                first ??= t;
                last = t;
                crossings++;
            }
        }

        return (crossings - 1) / (last - first!.Value);
    }

    /// <summary>Amplitude of one frequency over <paramref name="length"/> samples (a whole number of cycles).</summary>
    private static double AmplitudeAt(ReadOnlySpan<float> signal, double frequency, int rate, int length)
    {
        double sin = 0, cos = 0;
        for (var n = 0; n < length; n++)
        {
            var phase = 2 * Math.PI * frequency * n / rate;
            sin += signal[n] * Math.Sin(phase);
            cos += signal[n] * Math.Cos(phase);
        }

        return 2 * Math.Sqrt((sin * sin) + (cos * cos)) / length;
    }
}
