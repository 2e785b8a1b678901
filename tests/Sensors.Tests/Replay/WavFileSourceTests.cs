using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Sensors.Replay;

namespace EdgeEmotion.Sensors.Tests.Replay;

public sealed class WavFileSourceTests
{
    [Fact]
    public async Task Resamples_to_the_target_rate_in_exactly_timestamped_blocks()
    {
        using var dir = new TempDirectory();
        var samples = Enumerable.Range(0, 48000).Select(n => (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * n / 48000.0))).ToArray();
        var path = dir.Write("tone48k.wav", TestWav.Build(TestWav.IeeeFloat, 1, 48000, 32, TestWav.Float32(samples)));
        var start = TimeSpan.FromSeconds(3);
        await using var source = new WavFileSource(path, 44100, start: start);

        var blocks = await ReadAllAsync(source);

        Assert.Equal(882, source.BlockSamples);
        Assert.Equal(50, blocks.Count);  // 1 s of 20 ms blocks
        Assert.All(blocks, b => Assert.Equal(44100, b.SampleRate));
        Assert.All(blocks, b => Assert.Equal(882, b.Samples.Length));
        for (var i = 0; i < blocks.Count; i++)
        {
            Assert.Equal(start + TimeSpan.FromMilliseconds(20 * i), blocks[i].Timestamp);
        }

        Assert.False(source.OpenedFile!.Truncated);
        Assert.Equal(48000, source.OpenedFile.SampleRate);
    }

    [Fact]
    public async Task The_last_block_holds_the_rest()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("short.wav", TestWav.Build(TestWav.Pcm, 1, 44100, 16, TestWav.Int16(new short[1000])));
        await using var source = new WavFileSource(path, 44100, blockDuration: TimeSpan.FromMilliseconds(10));

        var blocks = await ReadAllAsync(source);

        Assert.Equal([441, 441, 118], blocks.Select(b => b.Samples.Length));
        Assert.Equal(TimeSpan.FromTicks(882 * TimeSpan.TicksPerSecond / 44100), blocks[2].Timestamp);
    }

    [Fact]
    public async Task At_the_files_own_rate_samples_pass_unchanged()
    {
        using var dir = new TempDirectory();
        short[] pcm = [.. Enumerable.Range(0, 2000).Select(n => (short)((n * 37) % 20000))];
        var path = dir.Write("same.wav", TestWav.Build(TestWav.Pcm, 1, 44100, 16, TestWav.Int16(pcm)));
        await using var source = new WavFileSource(path, 44100);

        var samples = (await ReadAllAsync(source)).SelectMany(b => b.Samples).ToArray();

        Assert.Equal(pcm.Select(s => s / 32768f), samples);
    }

    [Fact]
    public async Task Speech_from_espeak_ng_resamples_from_22050_to_44100_with_its_duration()
    {
        using var dir = new TempDirectory();
        var path = dir.File("speech.wav");
        await Espeak.SayAsync("Pain and affect from voice, face and skin.", path);
        var file = WavFile.Read(path);
        await using var source = new WavFileSource(path, 44100);

        var blocks = await ReadAllAsync(source);

        Assert.Equal(22050, file.SampleRate);
        var total = blocks.Sum(b => b.Samples.Length);
        Assert.Equal(2 * file.Samples.Length, total);
        var last = blocks[^1];
        Assert.Equal(file.Duration.TotalSeconds, (last.Timestamp + last.Duration).TotalSeconds, 4);
        for (var i = 1; i < blocks.Count; i++)
        {
            var gap = blocks[i].Timestamp - (blocks[i - 1].Timestamp + blocks[i - 1].Duration);
            Assert.InRange(Math.Abs(gap.Ticks), 0, 1);  // contiguous, to the 100 ns tick
        }

        // Same speech energy on both sides of the resampler.
        static double Rms(IEnumerable<float> s) => Math.Sqrt(s.Average(v => (double)v * v));
        Assert.Equal(Rms(file.Samples.ToArray()), Rms(blocks.SelectMany(b => b.Samples)), 2);
    }

    [Fact]
    public async Task A_missing_file_is_a_source_exception_naming_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("absent.wav");
        await using var source = new WavFileSource(path, 44100);

        var e = await Assert.ThrowsAsync<SourceException>(() => ReadAllAsync(source));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(source.Description, e.SourceDescription);
    }

    [Fact]
    public async Task A_bad_file_is_a_source_exception_saying_what_is_wrong()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("notes.wav", "just some text, not audio"u8.ToArray());
        await using var source = new WavFileSource(path, 44100);

        var e = await Assert.ThrowsAsync<SourceException>(() => ReadAllAsync(source));

        Assert.Equal($"audio file {path}: notes.wav: not a RIFF/WAVE file (it starts with 'just')", e.Message);
        Assert.IsType<InvalidDataException>(e.InnerException);
    }

    private static async Task<List<AudioBlock>> ReadAllAsync(WavFileSource source)
    {
        var blocks = new List<AudioBlock>();
        await foreach (var block in source.ReadAsync(CancellationToken.None))
        {
            blocks.Add(block);
        }

        return blocks;
    }
}
