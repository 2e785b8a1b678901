using EdgeEmotion.EdgeAgent.Benchmarks;
using EdgeEmotion.EdgeAgent.Cli;

namespace EdgeEmotion.EdgeAgent.Tests.Benchmarks;

/// <summary>The small calculations behind the benchmark and soak reports.</summary>
public sealed class BenchMathTests
{
    [Fact]
    public void Percentiles_interpolate_between_ranks_like_numpy()
    {
        double[] values = [5, 1, 4, 2, 3];

        Assert.Equal(3, Percentiles.Of(values, 0.5));
        Assert.Equal(4.96, Percentiles.Of(values, 0.99), 10);
        Assert.Equal(1, Percentiles.Of(values, 0));
        Assert.Equal([5, 1, 4, 2, 3], values); // not sorted in place
        Assert.Throws<ArgumentException>(() => Percentiles.Of([], 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of(values, 1.5));
    }

    [Fact]
    public void A_least_squares_line_through_exact_points_is_that_line()
    {
        double[] x = [0, 1, 2, 3];
        double[] y = [1, 3, 5, 7];

        var trend = LinearTrend.Fit(x, y);

        Assert.Equal(2, trend.Slope, 12);
        Assert.Equal(1, trend.Intercept, 12);
        Assert.Equal(0, LinearTrend.Fit([2.0], [9.0]).Slope);
        Assert.Throws<ArgumentException>(() => LinearTrend.Fit([1.0, 2], [1.0]));
    }

    [Fact]
    public void The_stage_recorder_summarises_what_it_was_given_and_refuses_more()
    {
        var recorder = new StageRecorder(["decode", "total"], capacity: 3);
        var decode = recorder.IndexOf("decode");
        var total = recorder.IndexOf("total");
        foreach (var ms in new[] { 1.0, 3.0, 2.0 })
        {
            recorder.Set(decode, ms);
            recorder.Set(total, ms * 10);
            recorder.Commit();
        }

        var summary = recorder.Summarize();

        Assert.Equal(["decode", "total"], summary.Keys);
        Assert.Equal(new StageSummary(2, 2.98, 2), summary["decode"]);
        Assert.Equal(20, summary["total"].MedianMs);
        Assert.Throws<InvalidOperationException>(() => recorder.Set(decode, 1));
        Assert.Throws<ArgumentException>(() => recorder.IndexOf("fusion"));
        Assert.Throws<ArgumentException>(() => new StageRecorder(["a", "a"], 1));
        Assert.Throws<InvalidOperationException>(() => new StageRecorder(["a"], 1).Summarize());
    }

    [Fact]
    public void Resident_memory_is_read_from_proc_status_lines()
    {
        const string status = "Name:\tedgeemo\nVmPeak:\t  900000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t   65536 kB\nThreads:\t12\n";

        Assert.Equal(123456L * 1024, ProcessMemory.Parse(status, "VmHWM:"));
        Assert.Equal(65536L * 1024, ProcessMemory.Parse(status, "VmRSS:"));
        Assert.Null(ProcessMemory.Parse(status, "VmSwap:"));
        Assert.Null(ProcessMemory.Parse("VmRSS:\t12 MB\n", "VmRSS:"));
        Assert.Equal(123456L * 1024, ProcessMemory.Peak(status));
    }

    [Fact]
    public void The_peak_is_never_below_the_current_resident_memory_of_the_same_read()
    {
        // The kernel folds RSS into VmHWM lazily: one read can show VmRSS above VmHWM.
        const string lagging = "VmHWM:\t   60000 kB\nVmRSS:\t   65536 kB\n";

        Assert.Equal(65536L * 1024, ProcessMemory.Peak(lagging));
        Assert.Equal(60000L * 1024, ProcessMemory.Peak("VmHWM:\t   60000 kB\n"));
        Assert.Equal(65536L * 1024, ProcessMemory.Peak("VmRSS:\t   65536 kB\n"));
        Assert.Null(ProcessMemory.Peak("Name:\tedgeemo\n"));
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("60m", 3600)]
    [InlineData("1.5h", 5400)]
    [InlineData(" 2M ", 120)]
    public void Durations_take_a_unit(string text, double seconds)
    {
        Assert.True(DurationArgument.TryParse(text, out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("60", "needs a unit")]
    [InlineData("", "needs a unit")]
    [InlineData(null, "needs a unit")]
    [InlineData("0m", "not a positive number of minutes")]
    [InlineData("xs", "not a positive number of seconds")]
    [InlineData("9000h", "longer than a year")]
    public void Bad_durations_say_why(string? text, string message)
    {
        Assert.False(DurationArgument.TryParse(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
