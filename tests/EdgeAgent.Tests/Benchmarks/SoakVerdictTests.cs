using EdgeEmotion.EdgeAgent.Benchmarks;

namespace EdgeEmotion.EdgeAgent.Tests.Benchmarks;

public sealed class SoakVerdictTests
{
    private static readonly SoakThresholds Defaults = new();

    // An hour sampled every 30 s: rss(t) and one queue depth(i) as given.
    private static List<SoakSample> Hour(Func<double, double> rss, Func<int, long>? queue = null) =>
        Enumerable.Range(0, 121).Select(i => new SoakSample(
            i * 30.0,
            i * 100,
            i * 106.7,
            rss(i * 30.0 / 3600),
            20 + (i % 7),
            48,
            new GcCounts(i, i / 10, i / 100),
            new Dictionary<string, long> { ["score_queue"] = queue?.Invoke(i) ?? 0, ["video_slots"] = 8 + (i % 3) })).ToList();

    [Fact]
    public void Flat_memory_and_bounded_queues_pass()
    {
        // Allocator noise of +-1.5 MB around 450 MB, a queue that fills and drains.
        var verdict = SoakVerdict.Judge(Hour(h => 450 + (1.5 * Math.Sin(h * 40)), i => i % 5), Defaults);

        Assert.True(verdict.Passed, string.Join("; ", verdict.Problems));
        Assert.InRange(verdict.RssSlopeMbPerHour, -3, 3);
        Assert.Equal(["score_queue", "video_slots"], verdict.DepthSlopesPerHour.Keys);
    }

    [Fact]
    public void Rss_that_keeps_rising_fails_with_its_slope()
    {
        var verdict = SoakVerdict.Judge(Hour(h => 450 + (12 * h)), Defaults);

        Assert.False(verdict.Passed);
        Assert.Equal(12, verdict.RssSlopeMbPerHour, 3);
        Assert.Contains(verdict.Problems, p => p.StartsWith("RSS grows 12.0 MB/h", StringComparison.Ordinal));
    }

    [Fact]
    public void A_slope_under_the_noise_floor_is_no_trend()
    {
        // 6 MB/h for half an hour is a 3 MB rise: within what the allocator wanders.
        var samples = Hour(h => 450 + (6 * h)).Take(61).ToList();

        var verdict = SoakVerdict.Judge(samples, Defaults);

        Assert.True(verdict.Passed, string.Join("; ", verdict.Problems));
        Assert.Equal(6, verdict.RssSlopeMbPerHour, 3);
    }

    [Fact]
    public void The_warm_up_ramp_is_left_out_of_the_fit()
    {
        // +40 MB in the first five minutes (arenas, JIT, GC budgets), flat after.
        var verdict = SoakVerdict.Judge(Hour(h => h < 5.0 / 60 ? 410 + (h * 480) : 450), Defaults);

        Assert.True(verdict.Passed, string.Join("; ", verdict.Problems));
        Assert.Equal(0, verdict.RssSlopeMbPerHour, 3);
    }

    [Fact]
    public void A_queue_that_grows_without_bound_fails()
    {
        var verdict = SoakVerdict.Judge(Hour(_ => 450, i => i / 4), Defaults);

        Assert.False(verdict.Passed);
        Assert.Contains(verdict.Problems, p => p.StartsWith("score_queue grows without bound", StringComparison.Ordinal));
        Assert.True(verdict.DepthSlopesPerHour["score_queue"] > 0);
    }

    [Fact]
    public void Too_few_samples_cannot_pass()
    {
        var verdict = SoakVerdict.Judge(Hour(_ => 450).Take(4).ToList(), Defaults);

        Assert.False(verdict.Passed);
        Assert.Contains(verdict.Problems, p => p.Contains("run longer or sample more often", StringComparison.Ordinal));
        Assert.False(SoakVerdict.Judge([], Defaults).Passed);
    }

    [Theory]
    [InlineData(new double[] { 0, 1, 2, 3, 4, 5 }, true)]
    [InlineData(new double[] { 0, 5, 0, 5, 0, 5 }, false)]
    [InlineData(new double[] { 3, 3, 3, 3, 3, 3 }, false)]
    [InlineData(new double[] { 0, 9, 1, 8, 9, 9 }, false)] // the last third touches the first third's top
    [InlineData(new double[] { 1, 2 }, false)]
    public void Growth_means_the_last_third_stays_above_the_first(double[] values, bool grows) =>
        Assert.Equal(grows, SoakVerdict.GrowsWithoutBound(values));
}
