using System.Globalization;
using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeEmotion.Runtime.Tests.Streaming;

/// <summary>
/// The live driver on a <see cref="SteppedClock"/>: time moves one tick at a time, and only once
/// every source has handed out each sample due by then and the driver has finished its tick. The
/// sources are never late and the scoring never falls behind, however slow or busy the machine.
/// </summary>
public sealed class LiveDriverTests
{
    [Fact]
    public async Task Media_arriving_in_real_time_scores_exactly_as_its_replay()
    {
        // Four clips of the affect pack (hop 32 at 30 fps).
        const double seconds = 4.3;
        using var replay = new PipelineHarness("affect-tiny");
        replay.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, seconds), PipelineHarness.Speech(0, seconds));
        Assert.Equal(4, replay.Outputs.Count);

        using var live = new PipelineHarness("affect-tiny");
        var clock = new SteppedClock();
        var options = new LiveDriverOptions { SourceLatency = TimeSpan.FromSeconds(1.5), BufferLength = TimeSpan.FromSeconds(4) };
        var driver = new LiveDriver(live.Pipeline, options, NullLogger<LiveDriver>.Instance, clock);
        var video = new PacedSource<VideoFrame>(PipelineHarness.Frames(TestMedia.FaceVideo, 0, seconds), f => f.Timestamp, clock);
        var audio = new PacedSource<AudioBlock>(PipelineHarness.Speech(0, seconds), b => b.Timestamp, clock);
        var outputs = await RunAsync(driver, clock, options.Tick, video, audio, replay.Outputs.Count);

        var expected = replay.Outputs.Select(Describe).ToList();
        var actual = outputs.Select(Describe).ToList();
        Assert.True(
            expected.SequenceEqual(actual),
            $"""
            The live run differs from the replay.
            Dropped: {string.Join(", ", driver.Dropped.Select(d => $"{d.Key} {d.Value}"))}
            Replay:
            {string.Join('\n', expected)}
            Live:
            {string.Join('\n', actual)}
            """);
        Assert.All(driver.Dropped.Values, d => Assert.Equal(0, d));
    }

    [Theory]
    [InlineData(false, MissingReasons.SourceEnded)]
    [InlineData(true, MissingReasons.SourceError)]
    public async Task A_source_that_ends_or_fails_is_reported_so_not_as_stalled(bool fails, string reason)
    {
        // The camera stops after 1.5 s, the microphone goes on: the fourth clip (ending at 4.27 s)
        // has no frames within the stall timeout, and the reason must be why the source stopped.
        using var live = new PipelineHarness("affect-tiny");
        var clock = new SteppedClock();
        var options = new LiveDriverOptions();
        var driver = new LiveDriver(live.Pipeline, options, NullLogger<LiveDriver>.Instance, clock);
        var outputs = await RunAsync(
            driver,
            clock,
            options.Tick,
            new PacedSource<VideoFrame>(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 1.5).ToList(), f => f.Timestamp, clock, fails),
            new PacedSource<AudioBlock>(PipelineHarness.Speech(0, 6), b => b.Timestamp, clock),
            count: 4);

        Assert.Equal(ModalityState.Ok, outputs[0].Modalities["visual"].State);
        var last = outputs[^1].Modalities["visual"];
        Assert.NotEqual(ModalityState.Ok, last.State);
        Assert.Equal(reason, last.Reason);
        Assert.All(outputs, o => Assert.Equal(ModalityState.Ok, o.Modalities["audio"].State));
        Assert.Equal(fails ? 1 : 0, driver.Failures.Count);
    }

    // Runs the loop on the thread pool, as the service does, and moves the clock one tick once
    // both sources wait for a later sample (or have ended) and the driver has finished its tick.
    private static async Task<List<ScoreOutput>> RunAsync(
        LiveDriver driver, SteppedClock clock, TimeSpan tick, PacedSource<VideoFrame> video, PacedSource<AudioBlock> audio, int count)
    {
        // Guards against a hang only, never a speed limit.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var outputs = new List<ScoreOutput>();
        var run = Task.Run(async () =>
        {
            await foreach (var output in driver.RunAsync(video, audio, null, guard.Token))
            {
                outputs.Add(output);
                if (outputs.Count == count)
                {
                    break;
                }
            }
        });
        while (!run.IsCompleted)
        {
            while (!run.IsCompleted && !(video.Waiting && audio.Waiting && driver.SinceProgress == TimeSpan.Zero))
            {
                await Task.Delay(1, guard.Token);
            }

            clock.Advance(tick);
        }

        await run;
        return outputs;
    }

    private static string Describe(ScoreOutput o) => string.Create(CultureInfo.InvariantCulture,
        $"{o.Clip} {o.ClipEnd.Ticks} {o.Status} {string.Join(',', o.Scores?.Select(s => $"{s.Name}={s.Value:R}/{s.Level}") ?? [])} {string.Join(',', o.Modalities.Select(m => $"{m.Key}={m.Value}"))}");

    /// <summary>
    /// Hands out each sample when its timestamp comes due on the clock after the enumeration
    /// starts, as a device would; then ends, or fails as a device does when it is unplugged.
    /// </summary>
    private sealed class PacedSource<T>(IEnumerable<T> samples, Func<T, TimeSpan> timestamp, SteppedClock clock, bool failAtEnd = false) : ISampleSource<T>
    {
        private long waitingUntil = -1;
        private volatile bool ended;

        public string Description => "paced test samples";

        /// <summary>Every sample due by now is handed out: the source waits for a later one, or has ended.</summary>
        public bool Waiting => ended || (Interlocked.Read(ref waitingUntil) is var until && until >= 0 && until > clock.GetTimestamp());

        public async IAsyncEnumerable<T> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var start = clock.GetTimestamp();
            try
            {
                foreach (var sample in samples)
                {
                    var wait = timestamp(sample) - clock.GetElapsedTime(start);
                    if (wait > TimeSpan.Zero)
                    {
                        Interlocked.Exchange(ref waitingUntil, clock.GetTimestamp() + wait.Ticks);
                        await Task.Delay(wait, clock, cancellationToken);
                        Interlocked.Exchange(ref waitingUntil, -1);
                    }

                    yield return sample;
                }
            }
            finally
            {
                ended = true;
            }

            if (failAtEnd)
            {
                throw new SourceException(Description, "device unplugged");
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
