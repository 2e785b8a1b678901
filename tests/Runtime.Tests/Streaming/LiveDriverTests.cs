using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeEmotion.Runtime.Tests.Streaming;

/// <summary>
/// These tests run in wall time, so they run alone: another test holding the CPU or xunit's
/// threads for seconds would make the paced sources late, which is a different case.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeGroup
{
    public const string Name = "real time";
}

[Collection(RealTimeGroup.Name)]
public sealed class LiveDriverTests
{
    [Fact]
    public async Task Media_arriving_in_real_time_scores_exactly_as_its_replay()
    {
        // Four clips of the affect pack (hop 32 at 30 fps); the live run takes that long in wall time.
        const double seconds = 4.3;
        using var replay = new PipelineHarness("affect-tiny");
        replay.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, seconds), PipelineHarness.Speech(0, seconds));
        Assert.Equal(4, replay.Outputs.Count);

        // Scoring well behind the sources, so a busy machine delivering late changes nothing.
        using var live = new PipelineHarness("affect-tiny");
        var driver = new LiveDriver(
            live.Pipeline,
            new LiveDriverOptions { SourceLatency = TimeSpan.FromSeconds(1.5), BufferLength = TimeSpan.FromSeconds(4) },
            NullLogger<LiveDriver>.Instance);
        var video = new PacedSource<VideoFrame>(PipelineHarness.Frames(TestMedia.FaceVideo, 0, seconds), f => f.Timestamp);
        var audio = new PacedSource<AudioBlock>(PipelineHarness.Speech(0, seconds), b => b.Timestamp);
        var outputs = await RunAsync(driver, video, audio, replay.Outputs.Count);

        var expected = replay.Outputs.Select(Describe).ToList();
        var actual = outputs.Select(Describe).ToList();
        Assert.True(
            expected.SequenceEqual(actual),
            $"""
            The live run differs from the replay.
            Latest sample handed out: video {video.MaxLateness.TotalMilliseconds:F0} ms, audio {audio.MaxLateness.TotalMilliseconds:F0} ms late; dropped: {string.Join(", ", driver.Dropped.Select(d => $"{d.Key} {d.Value}"))}
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
        var driver = new LiveDriver(live.Pipeline, new LiveDriverOptions(), NullLogger<LiveDriver>.Instance);
        var outputs = await RunAsync(
            driver,
            new PacedSource<VideoFrame>(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 1.5).ToList(), f => f.Timestamp, fails),
            new PacedSource<AudioBlock>(PipelineHarness.Speech(0, 6), b => b.Timestamp),
            count: 4);

        Assert.Equal(ModalityState.Ok, outputs[0].Modalities["visual"].State);
        var last = outputs[^1].Modalities["visual"];
        Assert.NotEqual(ModalityState.Ok, last.State);
        Assert.Equal(reason, last.Reason);
        Assert.All(outputs, o => Assert.Equal(ModalityState.Ok, o.Modalities["audio"].State));
        Assert.Equal(fails ? 1 : 0, driver.Failures.Count);
    }

    // Runs the loop on the thread pool, as the service does, rather than on xunit's few threads.
    private static Task<List<ScoreOutput>> RunAsync(LiveDriver driver, ISampleSource<VideoFrame> video, ISampleSource<AudioBlock> audio, int count) =>
        Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var outputs = new List<ScoreOutput>();
            await foreach (var output in driver.RunAsync(video, audio, null, timeout.Token))
            {
                outputs.Add(output);
                if (outputs.Count == count)
                {
                    break;
                }
            }

            return outputs;
        });

    private static string Describe(ScoreOutput o) => string.Create(CultureInfo.InvariantCulture,
        $"{o.Clip} {o.ClipEnd.Ticks} {o.Status} {string.Join(',', o.Scores?.Select(s => $"{s.Name}={s.Value:R}/{s.Level}") ?? [])} {string.Join(',', o.Modalities.Select(m => $"{m.Key}={m.Value}"))}");

    /// <summary>
    /// Hands out each sample when its timestamp comes due after the enumeration starts, as a device
    /// would; then ends, or fails as a device does when it is unplugged.
    /// </summary>
    private sealed class PacedSource<T>(IEnumerable<T> samples, Func<T, TimeSpan> timestamp, bool failAtEnd = false) : ISampleSource<T>
    {
        public string Description => "paced test samples";

        /// <summary>The most any sample was handed out after it was due.</summary>
        public TimeSpan MaxLateness { get; private set; }

        public async IAsyncEnumerable<T> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            foreach (var sample in samples)
            {
                var wait = timestamp(sample) - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                var late = Stopwatch.GetElapsedTime(start) - timestamp(sample);
                if (late > MaxLateness)
                {
                    MaxLateness = late;
                }

                yield return sample;
            }

            if (failAtEnd)
            {
                throw new SourceException(Description, "device unplugged");
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
