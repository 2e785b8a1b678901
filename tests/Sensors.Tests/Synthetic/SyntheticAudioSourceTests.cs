using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Sensors.Synthetic;

namespace EdgeEmotion.Sensors.Tests.Synthetic;

public sealed class SyntheticAudioSourceTests
{
    private const int Rate = 16_000;

    private static SyntheticAudioOptions Options(double seconds, string dropouts = "", int seed = 1) => new()
    {
        SampleRate = Rate,
        Duration = TimeSpan.FromSeconds(seconds),
        Dropouts = DropoutScript.Parse(dropouts),
        Seed = seed,
    };

    [Fact]
    public async Task Blocks_are_contiguous_with_exact_timestamps()
    {
        var blocks = await ReadAllAsync(Options(3));

        Assert.All(blocks, b => Assert.Equal(Rate, b.SampleRate));
        Assert.Equal(3 * Rate, blocks.Sum(b => b.Samples.Length));
        long next = 0;
        foreach (var block in blocks)
        {
            Assert.Equal(TimeSpan.FromTicks((long)Math.Round(next * 1e7 / Rate)), block.Timestamp);
            Assert.Equal(320, block.Samples.Length);
            next += block.Samples.Length;
        }
    }

    [Fact]
    public async Task Sounds_like_speech_bursts_over_quiet_noise()
    {
        var samples = Concat(await ReadAllAsync(Options(10)));

        Assert.All(samples, s => Assert.InRange(s, -1f, 1f));
        Assert.InRange(samples.Max(Math.Abs), 0.1f, 0.5f);

        // 20 ms frames: loud (voiced) ones and near-silent (gaps) ones both occur.
        var frameRms = samples.Chunk(320).Select(Rms).ToList();
        Assert.True(frameRms.Count(r => r > 0.02) > 0.3 * frameRms.Count, "too few voiced frames");
        Assert.True(frameRms.Count(r => r < 0.01) > 0.1 * frameRms.Count, "too few pauses");
    }

    [Fact]
    public async Task Same_seed_same_samples()
    {
        var a = Concat(await ReadAllAsync(Options(1)));
        var b = Concat(await ReadAllAsync(Options(1) with { BlockDuration = TimeSpan.FromMilliseconds(7) }));
        var c = Concat(await ReadAllAsync(Options(1, seed: 2)));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public async Task Silence_is_exact_zeros_in_the_interval_only()
    {
        var plain = Concat(await ReadAllAsync(Options(3)));
        var samples = Concat(await ReadAllAsync(Options(3, "audio:silence@1-2")));

        Assert.Equal(plain.Length, samples.Length);
        Assert.All(samples[Rate..(2 * Rate)], s => Assert.Equal(0f, s));
        Assert.Equal(plain[..Rate], samples[..Rate]);
        Assert.Equal(plain[(2 * Rate)..], samples[(2 * Rate)..]);
    }

    [Fact]
    public async Task Clipped_hits_full_scale_in_the_interval_only()
    {
        var samples = Concat(await ReadAllAsync(Options(3, "audio:clipped@1-2.5")));

        var inside = samples[Rate..(5 * Rate / 2)];
        var outside = samples[..Rate].Concat(samples[(5 * Rate / 2)..]).ToArray();
        var clipped = inside.Count(s => Math.Abs(s) == 1f);
        Assert.True(clipped > 0.05 * inside.Length, $"only {clipped} of {inside.Length} samples clipped");
        Assert.All(inside, s => Assert.InRange(s, -1f, 1f));
        Assert.DoesNotContain(outside, s => Math.Abs(s) >= 0.99f);
    }

    [Fact]
    public async Task Missing_yields_no_blocks_in_the_interval()
    {
        var blocks = await ReadAllAsync(Options(3, "audio:missing@1.005-2"));

        var end = TimeSpan.FromSeconds(3);
        // Samples 16 080 (1.005 s) to 31 999 are missing.
        Assert.Equal((3 * Rate) - ((2 * Rate) - 16_080), blocks.Sum(b => b.Samples.Length));
        var gapStart = TimeSpan.FromTicks(10_050_000);
        Assert.DoesNotContain(blocks, b => b.Timestamp + b.Duration > gapStart && b.Timestamp < TimeSpan.FromSeconds(2));
        Assert.Contains(blocks, b => b.Timestamp == TimeSpan.FromSeconds(2));
        Assert.Equal(end, blocks[^1].Timestamp + blocks[^1].Duration);
    }

    [Fact]
    public async Task A_consumer_that_disposes_each_block_gets_the_same_samples_from_reused_arrays()
    {
        const string dropouts = "audio:missing@0.5-0.8,audio:silence@1-1.5,audio:clipped@2-2.5";
        var kept = await ReadAllAsync(Options(3, dropouts));

        // As the pipeline does: copy the samples, then hand the block back.
        await using var source = new SyntheticAudioSource(Options(3, dropouts));
        var copied = new List<float>();
        var arrays = new HashSet<float[]>(ReferenceEqualityComparer.Instance);
        await foreach (var block in source.ReadAsync(CancellationToken.None))
        {
            copied.AddRange(block.Samples);
            arrays.Add(block.Samples);
            block.Dispose();
        }

        Assert.Equal(Concat(kept), copied);
        Assert.All(kept.Where(b => b.Samples.Length == 320), b => Assert.True(b.IsPooled));
        Assert.True(arrays.Count <= 3, $"{arrays.Count} arrays for {kept.Count} blocks");
    }

    [Fact]
    public void Options_out_of_range_are_named()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticAudioSource(Options(1) with { SampleRate = 10 }));

        Assert.Equal(nameof(SyntheticAudioOptions.SampleRate), error.ParamName);
    }

    private static async Task<List<AudioBlock>> ReadAllAsync(SyntheticAudioOptions options)
    {
        await using var source = new SyntheticAudioSource(options);
        var blocks = new List<AudioBlock>();
        await foreach (var block in source.ReadAsync(CancellationToken.None))
        {
            blocks.Add(block);
        }

        return blocks;
    }

    private static float[] Concat(List<AudioBlock> blocks) => blocks.SelectMany(b => b.Samples).ToArray();

    private static double Rms(float[] samples) => Math.Sqrt(samples.Average(s => (double)s * s));
}
