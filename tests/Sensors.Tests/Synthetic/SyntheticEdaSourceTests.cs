using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Sensors.Synthetic;

namespace EdgeEmotion.Sensors.Tests.Synthetic;

public sealed class SyntheticEdaSourceTests
{
    private static SyntheticEdaOptions Options(double seconds, string dropouts = "", int seed = 1) => new()
    {
        Duration = TimeSpan.FromSeconds(seconds),
        Dropouts = DropoutScript.Parse(dropouts),
        Seed = seed,
    };

    [Fact]
    public async Task Readings_come_at_the_rate_with_exact_timestamps()
    {
        var samples = await ReadAllAsync(Options(10));

        Assert.Equal(320, samples.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            Assert.Equal(TimeSpan.FromTicks(i * 312_500L), samples[i].Timestamp);
        }
    }

    [Fact]
    public async Task Looks_like_skin_conductance()
    {
        var values = (await ReadAllAsync(Options(60))).Select(s => s.Microsiemens).ToList();

        // Around the 5 uS tonic level, with responses lifting it now and then.
        Assert.InRange(values.Average(), 4, 6.5);
        Assert.All(values, v => Assert.InRange(v, 2, 10));
        Assert.True(values.Max() - values.Min() > 0.3, "no skin-conductance responses");
    }

    [Fact]
    public async Task Same_seed_same_readings()
    {
        var a = await ReadAllAsync(Options(5));
        var b = await ReadAllAsync(Options(5));
        var c = await ReadAllAsync(Options(5, seed: 9));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public async Task Electrode_off_reads_about_zero_in_the_interval()
    {
        var samples = await ReadAllAsync(Options(6, "eda:electrode-off@2-4"));

        Assert.All(samples.Where(s => InSeconds(s, 2, 4)), s => Assert.InRange(s.Microsiemens, 0, 0.05));
        Assert.All(samples.Where(s => !InSeconds(s, 2, 4)), s => Assert.True(s.Microsiemens > 1));
        Assert.Equal(64, samples.Count(s => InSeconds(s, 2, 4)));
    }

    [Fact]
    public async Task Saturated_reads_above_the_valid_range_in_the_interval()
    {
        var samples = await ReadAllAsync(Options(6, "eda:saturated@1-2"));

        // The packs' validMax is 60 uS.
        Assert.All(samples.Where(s => InSeconds(s, 1, 2)), s => Assert.True(s.Microsiemens > 60));
        Assert.All(samples.Where(s => !InSeconds(s, 1, 2)), s => Assert.True(s.Microsiemens < 60));
    }

    [Fact]
    public async Task Missing_yields_nothing_in_the_interval_and_leaves_the_rest_alone()
    {
        var plain = await ReadAllAsync(Options(6));
        var samples = await ReadAllAsync(Options(6, "eda:missing@1-3"));

        Assert.Equal(plain.Where(s => !InSeconds(s, 1, 3)), samples);
    }

    [Fact]
    public async Task Real_time_pacing_waits_for_each_timestamp()
    {
        var clock = new VirtualTimeProvider();
        var options = Options(0.5) with { Pacing = SourcePacing.RealTime, TimeProvider = clock };

        var samples = await ReadAllAsync(options);

        // The last reading (15/32 s) came when it was due: not sooner, and not after a needless wait.
        Assert.Equal(16, samples.Count);
        Assert.InRange(clock.Elapsed, samples[^1].Timestamp, samples[^1].Timestamp + TimeSpan.FromMilliseconds(1));
    }

    private static bool InSeconds(EdaSample sample, double start, double end) =>
        sample.Timestamp >= TimeSpan.FromSeconds(start) && sample.Timestamp < TimeSpan.FromSeconds(end);

    private static async Task<List<EdaSample>> ReadAllAsync(SyntheticEdaOptions options)
    {
        await using var source = new SyntheticEdaSource(options);
        var samples = new List<EdaSample>();
        await foreach (var sample in source.ReadAsync(CancellationToken.None))
        {
            samples.Add(sample);
        }

        return samples;
    }
}
