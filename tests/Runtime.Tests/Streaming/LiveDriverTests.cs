using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeEmotion.Runtime.Tests.Streaming;

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

        // Scoring a second behind the sources, so a busy machine delivering late changes nothing.
        using var live = new PipelineHarness("affect-tiny");
        var driver = new LiveDriver(
            live.Pipeline,
            new LiveDriverOptions { SourceLatency = TimeSpan.FromSeconds(1), BufferLength = TimeSpan.FromSeconds(4) },
            NullLogger<LiveDriver>.Instance);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var outputs = new List<ScoreOutput>();
        await foreach (var output in driver.RunAsync(
            new PacedSource<VideoFrame>(PipelineHarness.Frames(TestMedia.FaceVideo, 0, seconds), f => f.Timestamp),
            new PacedSource<AudioBlock>(PipelineHarness.Speech(0, seconds), b => b.Timestamp),
            null,
            timeout.Token))
        {
            outputs.Add(output);
            if (outputs.Count == replay.Outputs.Count)
            {
                break;
            }
        }

        Assert.Equal(replay.Outputs.Select(Describe), outputs.Select(Describe));
        Assert.All(driver.Dropped.Values, d => Assert.Equal(0, d));
    }

    private static string Describe(ScoreOutput o) => string.Create(CultureInfo.InvariantCulture,
        $"{o.Clip} {o.ClipEnd.Ticks} {o.Status} {string.Join(',', o.Scores?.Select(s => $"{s.Name}={s.Value:R}/{s.Level}") ?? [])} {string.Join(',', o.Modalities.Select(m => $"{m.Key}={m.Value}"))}");

    /// <summary>Hands out each sample when its timestamp comes due after the enumeration starts, as a device would.</summary>
    private sealed class PacedSource<T>(IEnumerable<T> samples, Func<T, TimeSpan> timestamp) : ISampleSource<T>
    {
        public string Description => "paced test samples";

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

                yield return sample;
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
