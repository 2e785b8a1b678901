using EdgeEmotion.Tests;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Sensors.Microphone;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.Sensors.Tests.Microphone;

public sealed class AlsaCaptureSourceTests
{
    private const int Period = 320; // 20 ms at 16 kHz

    [Fact]
    public async Task Capture_returns_the_files_samples_exactly_with_contiguous_timestamps()
    {
        var samples = Ramp(5 * Period + 100);
        using var mic = TestMic.S16(samples);
        var logger = new ListLogger<AlsaCaptureSource>();
        await using var source = new AlsaCaptureSource(mic.Options(samples.Length), logger);

        var blocks = await ReadAllAsync(source);

        Assert.Equal([Period, Period, Period, Period, Period, 100], blocks.Select(b => b.Samples.Length));
        Assert.Equal(samples.Select(s => s / 32768f), blocks.SelectMany(b => b.Samples));
        Assert.All(blocks, b => Assert.Equal(16000, b.SampleRate));
        for (var i = 1; i < blocks.Count; i++)
        {
            Assert.Equal(blocks[i - 1].Timestamp + TimeSpan.FromMilliseconds(20), blocks[i].Timestamp);
        }

        Assert.Equal(0, source.Overruns);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("testmic opened", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stereo_is_averaged_to_mono()
    {
        const int frames = 2 * Period;
        var interleaved = new short[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            interleaved[2 * i] = (short)(i * 40);
            interleaved[(2 * i) + 1] = (short)(-i * 10);
        }

        using var mic = TestMic.S16(interleaved);
        await using var source = new AlsaCaptureSource(mic.Options(frames, channels: 2), new ListLogger<AlsaCaptureSource>());

        var mono = (await ReadAllAsync(source)).SelectMany(b => b.Samples).ToArray();

        Assert.Equal(Enumerable.Range(0, frames).Select(i => ((i * 40) + (-i * 10)) / 65536f), mono);
    }

    [Fact]
    public async Task Float32_samples_pass_through()
    {
        var samples = Enumerable.Range(0, Period + 7).Select(i => MathF.Sin(i * 0.05f) * 0.9f).ToArray();
        using var mic = TestMic.Float32(samples);
        await using var source = new AlsaCaptureSource(mic.Options(samples.Length, format: "Float32"), new ListLogger<AlsaCaptureSource>());

        var mono = (await ReadAllAsync(source)).SelectMany(b => b.Samples).ToArray();

        Assert.Equal(samples, mono);
    }

    [Fact]
    public async Task An_overrun_is_recovered_on_the_real_pcm_and_capture_goes_on()
    {
        var samples = Ramp(6 * Period);
        using var mic = TestMic.S16(samples);
        var logger = new ListLogger<AlsaCaptureSource>();
        FaultyCapture? faulty = null;
        var opens = 0;
        await using var source = new AlsaCaptureSource(
            mic.Options(samples.Length),
            logger,
            openCapture: o =>
            {
                opens++;
                return faulty = new FaultyCapture(AlsaPcm.Open(o.Device, o), read => read == 3 ? -32 : null); // -EPIPE once
            });

        var blocks = await ReadAllAsync(source);

        Assert.Equal(1, opens);
        Assert.Equal([0], faulty!.Recoveries); // snd_pcm_recover on the real file PCM succeeded
        Assert.Equal(1, source.Overruns);
        Assert.Equal(0, source.Reopens);
        Assert.Equal(samples.Select(s => s / 32768f), blocks.SelectMany(b => b.Samples));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("overrun (1 so far", StringComparison.Ordinal));
        for (var i = 1; i < blocks.Count; i++)
        {
            Assert.True(blocks[i].Timestamp >= blocks[i - 1].Timestamp + blocks[i - 1].Duration, $"block {i} overlaps the one before");
        }
    }

    [Fact]
    public async Task Timestamps_start_at_the_run_clock_and_jump_after_an_overrun()
    {
        var samples = Ramp(5 * Period);
        using var mic = TestMic.S16(samples);
        var clock = new ManualTimestamps();
        await using var source = new AlsaCaptureSource(
            mic.Options(samples.Length),
            new ListLogger<AlsaCaptureSource>(),
            clock,
            o => new FaultyCapture(AlsaPcm.Open(o.Device, o), read =>
            {
                if (read == 1)
                {
                    clock.Now = TimeSpan.FromSeconds(5); // the first period arrives 5 s into the run
                }

                if (read == 3)
                {
                    clock.Now = TimeSpan.FromSeconds(15); // the reader stalled 10 s: the device overran
                    return -32;
                }

                return null;
            }));

        var blocks = await ReadAllAsync(source);

        Assert.Equal(
            [TimeSpan.FromMilliseconds(4980), TimeSpan.FromMilliseconds(5000), TimeSpan.FromMilliseconds(14980), TimeSpan.FromMilliseconds(15000), TimeSpan.FromMilliseconds(15020)],
            blocks.Select(b => b.Timestamp));
    }

    [Fact]
    public async Task A_lost_device_is_closed_and_reopened()
    {
        var samples = Ramp(4 * Period);
        using var mic = TestMic.S16(samples);
        var logger = new ListLogger<AlsaCaptureSource>();
        var opened = new List<FaultyCapture>();
        await using var source = new AlsaCaptureSource(
            mic.Options(6 * Period),
            logger,
            openCapture: o =>
            {
                var first = opened.Count == 0;
                var capture = new FaultyCapture(AlsaPcm.Open(o.Device, o), read => first && read == 2 ? -19 : null); // -ENODEV: unplugged
                opened.Add(capture);
                return capture;
            });

        var blocks = await ReadAllAsync(source);

        Assert.Equal(2, opened.Count);
        Assert.True(opened[0].Disposed);
        Assert.Equal(1, source.Reopens);
        Assert.Equal(6 * Period, blocks.Sum(b => b.Samples.Length));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("No such device", StringComparison.Ordinal) && e.Message.Contains("reopening", StringComparison.Ordinal));

        // The reopened file PCM starts its infile again: block 1 (frames 320..639) then frames 0.. again.
        Assert.Equal(samples.Take(Period).Select(s => s / 32768f), blocks[1].Samples);
        Assert.True(blocks[1].Timestamp >= blocks[0].Timestamp + blocks[0].Duration);
    }

    [Fact]
    public async Task A_device_that_goes_silent_is_reopened_after_the_stall_timeout()
    {
        var samples = Ramp(3 * Period);
        using var mic = TestMic.S16(samples);
        var logger = new ListLogger<AlsaCaptureSource>();
        var opens = 0;
        var options = mic.Options(samples.Length);
        options.StallTimeout = TimeSpan.FromMilliseconds(200);
        await using var source = new AlsaCaptureSource(
            options,
            logger,
            openCapture: o =>
            {
                var first = ++opens == 1;
                return new FaultyCapture(AlsaPcm.Open(o.Device, o), read =>
                {
                    if (first && read >= 2)
                    {
                        Thread.Sleep(10); // as snd_pcm_wait timing out
                        return -11; // -EAGAIN: no data
                    }

                    return null;
                });
            });

        var blocks = await ReadAllAsync(source);

        Assert.Equal(2, opens);
        Assert.Equal(1, source.Reopens);
        Assert.Equal(3 * Period, blocks.Sum(b => b.Samples.Length));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("no audio for", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_failures_are_retried_with_backoff_until_the_device_appears()
    {
        var samples = Ramp(Period);
        using var mic = TestMic.S16(samples);
        var logger = new ListLogger<AlsaCaptureSource>();
        var attempts = 0;
        await using var source = new AlsaCaptureSource(
            mic.Options(samples.Length),
            logger,
            openCapture: o => ++attempts <= 4 ? AlsaPcm.Open("nosuchpcm", o) : AlsaPcm.Open(o.Device, o));

        var blocks = await ReadAllAsync(source);

        Assert.Equal(samples.Select(s => s / 32768f), blocks.Single().Samples);
        Assert.Equal(4, source.OpenFailures);
        var failures = logger.Entries.Where(e => e.Level == LogLevel.Error).Select(e => e.Message).ToList();
        Assert.Equal(4, failures.Count);
        Assert.All(failures, m => Assert.Contains("ALSA device 'nosuchpcm': open failed: No such file or directory", m, StringComparison.Ordinal));
        Assert.Contains("(attempt 1)", failures[0], StringComparison.Ordinal);
        Assert.Contains("retrying in 00:00:00.0100000", failures[0], StringComparison.Ordinal);
        Assert.Contains("retrying in 00:00:00.0200000", failures[1], StringComparison.Ordinal);
        Assert.Contains("retrying in 00:00:00.0400000", failures[2], StringComparison.Ordinal);
        Assert.Contains("retrying in 00:00:00.0400000", failures[3], StringComparison.Ordinal); // capped at ReopenMaxDelay
    }

    [Fact]
    public async Task A_device_that_never_opens_is_retried_forever_without_throwing()
    {
        var options = new AlsaCaptureOptions
        {
            Device = "hw:99,0",
            ReopenMinDelay = TimeSpan.FromMilliseconds(5),
            ReopenMaxDelay = TimeSpan.FromMilliseconds(20),
        };
        var logger = new ListLogger<AlsaCaptureSource>();
        await using var source = new AlsaCaptureSource(options, logger);

        // Wait for the attempts themselves, not a time window: a loaded machine is slow, not wrong.
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var blocks = 0;
        var reading = Task.Run(async () =>
        {
            await foreach (var block in source.ReadAsync(cts.Token))
            {
                blocks++;
            }
        });
        while (source.OpenFailures < 5 && !reading.IsCompleted && !cts.IsCancellationRequested)
        {
            await Task.Delay(10);
        }

        await cts.CancelAsync();
        var error = await Record.ExceptionAsync(() => reading);

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Equal(0, blocks);
        Assert.True(source.OpenFailures >= 5, $"only {source.OpenFailures} attempts");
        Assert.All(logger.Entries.Where(e => e.Level == LogLevel.Error), e => Assert.Contains("ALSA device 'hw:99,0': open failed", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_libasound_the_source_fails_with_a_source_exception()
    {
        await using var source = new AlsaCaptureSource(
            new AlsaCaptureOptions(),
            new ListLogger<AlsaCaptureSource>(),
            openCapture: _ => throw new DllNotFoundException("ALSA's libasound.so.2 could not be loaded: install the libasound2 package"));

        var error = await Assert.ThrowsAsync<SourceException>(async () =>
        {
            await foreach (var block in source.ReadAsync(CancellationToken.None))
            {
            }
        });

        Assert.Equal("microphone default: ALSA's libasound.so.2 could not be loaded: install the libasound2 package", error.Message);
    }

    [Fact]
    public void Opening_a_missing_device_names_it_with_alsas_reason()
    {
        var error = Assert.Throws<AlsaException>(() => AlsaPcm.Open("hw:99,0", new AlsaCaptureOptions()));

        Assert.Equal("hw:99,0", error.Device);
        Assert.True(error.ErrorCode < 0);
        Assert.StartsWith("ALSA device 'hw:99,0': open failed: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_an_undefined_pcm_in_a_config_file_says_so()
    {
        using var mic = TestMic.S16(Ramp(10));
        var error = Assert.Throws<AlsaException>(() => AlsaPcm.Open("nosuchpcm", mic.Options(10)));

        Assert.Equal("ALSA device 'nosuchpcm': open failed: No such file or directory (-2)", error.Message);
    }

    [Fact]
    public void Invalid_options_are_refused_naming_the_key()
    {
        var options = new AlsaCaptureOptions { SampleRate = 0, Channels = 0, Format = "S24", ReopenMinDelay = TimeSpan.FromMinutes(1), MaxFrames = 0 };

        var error = Assert.Throws<ArgumentException>(() => new AlsaCaptureSource(options, new ListLogger<AlsaCaptureSource>()));

        Assert.Contains("Alsa.SampleRate must be 4000 to 384000 Hz, not 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Alsa.Channels must be", error.Message, StringComparison.Ordinal);
        Assert.Contains("Alsa.Format must be S16 or Float32, not S24", error.Message, StringComparison.Ordinal);
        Assert.Contains("Alsa.ReopenMinDelay", error.Message, StringComparison.Ordinal);
        Assert.Contains("Alsa.MaxFrames", error.Message, StringComparison.Ordinal);
        Assert.Empty(new AlsaCaptureOptions().Problems());
    }

    private static short[] Ramp(int count) =>
        [.. Enumerable.Range(0, count).Select(i => i switch { 0 => short.MinValue, 1 => short.MaxValue, _ => (short)((i * 97 % 65536) - 32768) })];

    private static async Task<List<AudioBlock>> ReadAllAsync(AlsaCaptureSource source)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a hang guard, never a speed limit
        var blocks = new List<AudioBlock>();
        await foreach (var block in source.ReadAsync(timeout.Token))
        {
            blocks.Add(block);
        }

        return blocks;
    }
}
