using EdgeEmotion.EdgeAgent.Benchmarks;
using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Benchmarks;

/// <summary>
/// The soak loop on a clock where every output costs the same time, so which outputs it samples
/// and what it judges do not depend on how fast this machine scores.
/// </summary>
public sealed class SoakRunTests
{
    [Fact]
    public async Task A_soak_samples_once_per_interval_until_its_duration_and_judges_the_samples()
    {
        var factory = new ModelSessionFactory(new InferenceOptions { Providers = [ExecutionProviderKind.Cpu] }, NullLogger<ModelSessionFactory>.Instance);
        using var sessions = PackSessions.Open(ModelPackLoader.Load(TestPaths.Pack("affect-tiny")), factory);
        await using var rig = BenchRig.Create(sessions, new BenchRigOptions { FaceModels = new FaceModelFolder(FacesConfig.DefaultModelsDirectory, factory) }, NullLoggerFactory.Instance);
        // RSS is this process's, shared with every other test: its limit is opened wide (the rule
        // itself is tested on series in SoakVerdictTests); a queue that grew would still fail.
        var thresholds = new SoakThresholds { MaxRssSlopeMbPerHour = 1_000_000 };
        var options = new SoakOptions(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(0.5), rig.OutputsToFill, thresholds);
        var progress = new StringWriter();

        var report = await SoakRun.RunAsync(rig, options, progress, CancellationToken.None, new OutputClock(TimeSpan.FromSeconds(0.25)));

        // Measured outputs come at 0.25 s, 0.5 s, ... 3 s (counted from 0): the first is sampled,
        // then the first at or past each 0.5 s step; the one at 3 s ends the run.
        Assert.Equal([0.25, 0.5, 1, 1.5, 2, 2.5, 3], report.Samples.Select(s => s.ElapsedSeconds));
        Assert.Equal([0L, 1, 3, 5, 7, 9, 11], report.Samples.Select(s => s.Outputs));
        Assert.Equal(11, report.Outputs);
        Assert.Equal(3, report.DurationSeconds);
        Assert.True(report.Passed, string.Join("; ", report.Problems));
        Assert.All(report.Samples, s =>
        {
            Assert.True(s.RssMb > 0);
            Assert.True(s.ManagedHeapMb > 0);
            Assert.Equal(0, s.Depths["score_queue"]);
        });
        Assert.Equal(["video_slots", "pooled_crops", "feature_clips", "smoothing_values", "score_queue"], report.Samples[0].Depths.Keys);
        Assert.Equal(report.Samples.Count, progress.ToString().Split('\n').Count(l => l.StartsWith("soak ", StringComparison.Ordinal) && l.Contains("rss", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_soak_too_short_to_show_a_trend_fails_saying_so()
    {
        var factory = new ModelSessionFactory(new InferenceOptions { Providers = [ExecutionProviderKind.Cpu] }, NullLogger<ModelSessionFactory>.Instance);
        using var sessions = PackSessions.Open(ModelPackLoader.Load(TestPaths.Pack("affect-tiny")), factory);
        await using var rig = BenchRig.Create(sessions, new BenchRigOptions { FaceModels = new FaceModelFolder(FacesConfig.DefaultModelsDirectory, factory) }, NullLoggerFactory.Instance);
        var options = new SoakOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.5), rig.OutputsToFill, new SoakThresholds { MaxRssSlopeMbPerHour = 1_000_000 });

        var report = await SoakRun.RunAsync(rig, options, TextWriter.Null, CancellationToken.None, new OutputClock(TimeSpan.FromSeconds(0.25)));

        Assert.Equal([0.25, 0.5, 1], report.Samples.Select(s => s.ElapsedSeconds));
        Assert.False(report.Passed);
        Assert.Equal(["only 3 samples after settling, 6 needed to see a trend: run longer or sample more often"], report.Problems);
    }

    /// <summary>Time moves only when read: each reading is <paramref name="perReading"/> after the one before.</summary>
    private sealed class OutputClock(TimeSpan perReading) : TimeProvider
    {
        private long ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp()
        {
            var now = ticks;
            ticks += perReading.Ticks;
            return now;
        }
    }
}
