using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Preprocessing;

public sealed class EdaFrontEndTests
{
    // pain-tiny: 64 Hz, 256 samples, 3 Hz order-2 low-pass, (uS - 5) / 4, valid 0.05..60 uS.
    private static EdaSpec PainSpec() =>
        ManifestReader.ReadFile(Path.Combine(TestPaths.Pack("pain-tiny"), ManifestReader.FileName)).FindModality("eda")!.Eda!;

    [Fact]
    public void With_no_readings_the_segment_is_neutral()
    {
        var frontEnd = new EdaFrontEnd(PainSpec(), 64, neutralMicrosiemens: 9.0);
        var segment = new float[frontEnd.SegmentSamples];

        var quality = frontEnd.Fill(TimeSpan.FromSeconds(10), segment);

        Assert.Equal(1.0f, frontEnd.NeutralValue);  // (9 - 5) / 4
        Assert.All(segment, v => Assert.Equal(1.0f, v));
        Assert.Equal(0, quality.SamplesInSpan);
        Assert.Null(quality.NewestSampleAge);
        Assert.Equal(0f, new EdaFrontEnd(PainSpec(), 64).NeutralValue);  // default neutral: the mean
    }

    [Fact]
    public void Scales_readings_by_the_packs_mean_and_std()
    {
        var frontEnd = new EdaFrontEnd(PainSpec(), 64);
        PushConstant(frontEnd, 13.0, rate: 64, seconds: 10);
        var segment = new float[frontEnd.SegmentSamples];

        frontEnd.Fill(TimeSpan.FromSeconds(10), segment);

        Assert.All(segment, v => Assert.Equal(2.0, v, 6));  // (13 - 5) / 4
        Assert.Equal(-1.25f, frontEnd.Normalize(0.0));
    }

    [Fact]
    public void Interpolates_linearly_between_readings()
    {
        // 4 Hz readings cannot carry 3 Hz: the filter is off and the values are the raw ramp.
        var frontEnd = new EdaFrontEnd(PainSpec(), 4);
        for (var n = 0; n <= 40; n++)
        {
            frontEnd.Push(new EdaSample(TimeSpan.FromSeconds(n / 4.0), Ramp(n / 4.0)));
        }

        var segment = new float[frontEnd.SegmentSamples];
        var end = TimeSpan.FromSeconds(9.3);
        frontEnd.Fill(end, segment);

        Assert.False(frontEnd.IsFiltering);
        for (var i = 0; i < segment.Length; i++)
        {
            var t = end.TotalSeconds - ((segment.Length - 1 - i) / 64.0);
            Assert.Equal((Ramp(t) - 5) / 4, segment[i], 1e-5);
        }
    }

    [Fact]
    public void The_filtered_ramp_keeps_its_slope()
    {
        // A unity-DC-gain filter delays a ramp by a constant once settled: slope unchanged.
        var frontEnd = new EdaFrontEnd(PainSpec(), 64);
        for (var n = 0; n <= 64 * 10; n++)
        {
            frontEnd.Push(new EdaSample(TimeSpan.FromSeconds(n / 64.0), Ramp(n / 64.0)));
        }

        var segment = new float[frontEnd.SegmentSamples];
        frontEnd.Fill(TimeSpan.FromSeconds(10), segment);

        Assert.True(frontEnd.IsFiltering);
        var slopePerSample = 0.5 / 64 / 4;  // uS per second / rate / std
        for (var i = 1; i < segment.Length; i++)
        {
            Assert.Equal(slopePerSample, segment[i] - segment[i - 1], 1e-6);
        }

        Assert.True(segment[^1] < (Ramp(10) - 5) / 4, "the causal filter lags the ramp");
    }

    [Fact]
    public void Before_the_first_reading_the_first_value_is_held()
    {
        var frontEnd = new EdaFrontEnd(PainSpec(), 64);
        PushConstant(frontEnd, 7.0, rate: 64, seconds: 0.5, start: 20);
        var segment = new float[frontEnd.SegmentSamples];

        var quality = frontEnd.Fill(TimeSpan.FromSeconds(20.5), segment);

        Assert.All(segment, v => Assert.Equal(0.5, v, 6));  // (7 - 5) / 4, before and after 20 s
        Assert.Equal(32, quality.SamplesInSpan);
        Assert.Equal(256, quality.ExpectedSamplesInSpan);
    }

    [Fact]
    public void Quality_counts_readings_in_the_span_and_out_of_range()
    {
        var frontEnd = new EdaFrontEnd(PainSpec(), 64);
        for (var n = 0; n < 64 * 6; n++)
        {
            // Two readings below validMin and one above validMax, all within the last 4 s.
            var value = n switch { 300 or 301 => 0.01, 350 => 80.0, _ => 5.0 };
            frontEnd.Push(new EdaSample(TimeSpan.FromSeconds(n / 64.0), value));
        }

        var newest = TimeSpan.FromSeconds(((64 * 6) - 1) / 64.0);
        var segment = new float[frontEnd.SegmentSamples];

        var now = frontEnd.Fill(newest, segment);
        var later = frontEnd.Fill(newest + TimeSpan.FromSeconds(1), segment);

        Assert.Equal(new EdaSegmentQuality(256, 256, 3, TimeSpan.Zero), now);
        Assert.Equal(1.0, now.Coverage);
        Assert.Equal(192, later.SamplesInSpan);  // the span's last second has no readings
        Assert.Equal(TimeSpan.FromSeconds(1), later.NewestSampleAge);
    }

    [Fact]
    public void A_segment_after_every_reading_holds_the_newest_value()
    {
        var frontEnd = new EdaFrontEnd(PainSpec(), 64);
        PushConstant(frontEnd, 3.0, rate: 64, seconds: 2);
        var segment = new float[frontEnd.SegmentSamples];

        var quality = frontEnd.Fill(TimeSpan.FromSeconds(60), segment);

        Assert.All(segment, v => Assert.Equal(-0.5, v, 6));
        Assert.Equal(0, quality.SamplesInSpan);
        Assert.Equal(TimeSpan.FromSeconds(60) - TimeSpan.FromSeconds(127 / 64.0), quality.NewestSampleAge);
    }

    [Fact]
    public void History_is_bounded()
    {
        var frontEnd = new EdaFrontEnd(PainSpec(), 64, historySlack: TimeSpan.FromSeconds(2));
        PushConstant(frontEnd, 5.0, rate: 64, seconds: 100);

        Assert.Equal(frontEnd.Capacity, frontEnd.Count);
        Assert.True(frontEnd.Capacity < 64 * 7, $"capacity {frontEnd.Capacity}");
    }

    [Fact]
    public void Rejects_readings_out_of_order()
    {
        var frontEnd = new EdaFrontEnd(PainSpec(), 64);
        frontEnd.Push(new EdaSample(TimeSpan.FromSeconds(1), 5));

        var late = Assert.Throws<ArgumentException>(() => frontEnd.Push(new EdaSample(TimeSpan.FromSeconds(1), 5)));
        Assert.Contains("not after", late.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Readings_that_are_not_finite_count_as_invalid_and_the_signal_holds_its_value_over_them()
    {
        var frontEnd = new EdaFrontEnd(PainSpec(), 64);
        PushConstant(frontEnd, 3.0, rate: 64, seconds: 2);
        frontEnd.Push(new EdaSample(TimeSpan.FromSeconds(2), double.NaN));
        frontEnd.Push(new EdaSample(TimeSpan.FromSeconds(2.01), double.NegativeInfinity));
        frontEnd.Push(new EdaSample(TimeSpan.FromSeconds(2.02), 3.0));
        var segment = new float[frontEnd.SegmentSamples];

        var quality = frontEnd.Fill(TimeSpan.FromSeconds(2.02), segment);

        Assert.Equal(2, quality.InvalidSamples);
        Assert.Equal(0, quality.OutOfRangeSamples);
        Assert.All(segment, v => Assert.Equal(frontEnd.Normalize(3.0), v, 4));
    }

    [Fact]
    public void Rejects_a_spec_it_cannot_use_naming_the_field()
    {
        var e = Assert.Throws<ArgumentException>(() => new EdaFrontEnd(PainSpec() with { Std = 0 }, 64));
        Assert.Contains("eda.std", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => new EdaFrontEnd(PainSpec() with { FilterOrder = 9 }, 64));
        Assert.Contains("eda.filterOrder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fill_allocates_nothing()
    {
        var frontEnd = new EdaFrontEnd(PainSpec(), 64);
        PushConstant(frontEnd, 5.0, rate: 64, seconds: 10);
        var segment = new float[frontEnd.SegmentSamples];
        frontEnd.Fill(TimeSpan.FromSeconds(9), segment);

        var before = GC.GetAllocatedBytesForCurrentThread();
        frontEnd.Fill(TimeSpan.FromSeconds(9.5), segment);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static double Ramp(double seconds) => 2.0 + (0.5 * seconds);

    private static void PushConstant(EdaFrontEnd frontEnd, double microsiemens, double rate, double seconds, double start = 0)
    {
        for (var n = 0; n < (int)Math.Round(rate * seconds); n++)
        {
            frontEnd.Push(new EdaSample(TimeSpan.FromSeconds(start + (n / rate)), microsiemens));
        }
    }
}
