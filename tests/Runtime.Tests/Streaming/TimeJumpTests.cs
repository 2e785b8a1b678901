using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeEmotion.Runtime.Tests.Streaming;

/// <summary>A gap or a time jump in a stream costs memory independent of its length; the modality is missing for it.</summary>
public sealed class TimeJumpTests
{
    [Theory]
    [InlineData(1e4)]
    [InlineData(1e9)]
    public void A_video_timestamp_jump_holds_a_bounded_number_of_slots(double jumpSeconds)
    {
        using var harness = new PipelineHarness("affect-tiny");
        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 2));
        using var late = PipelineHarness.Frames(TestMedia.FaceVideo, 2, 2.1).First();

        harness.Pipeline.Push(new VideoFrame(late.Timestamp + TimeSpan.FromSeconds(jumpSeconds), late.Image.Clone()));

        Assert.InRange(harness.Pipeline.Depths.VideoSlots, 0, 100);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(harness.Pipeline.TryAdvance(TimeSpan.FromSeconds(jumpSeconds), out var output));
            harness.Outputs.Add(output);
        }

        Assert.Equal(MissingReasons.Stalled, harness.Outputs[^1].Modalities["visual"].Reason);
        Assert.InRange(harness.Pipeline.Depths.VideoSlots, 0, 100);
    }

    [Fact]
    public async Task An_eda_time_jump_in_a_replay_is_scored_one_output_at_a_time_with_eda_missing()
    {
        using var harness = new PipelineHarness("pain-tiny");
        var driver = new ReplayDriver(harness.Pipeline, NullLogger<ReplayDriver>.Instance);
        var eda = PipelineHarness.Eda(0, 4).Concat(PipelineHarness.Eda(4, 5).Select(s => s with { Timestamp = s.Timestamp + TimeSpan.FromSeconds(1e4) }));
        var seen = 0;

        await foreach (var output in driver.RunAsync(null, null, new ListSource<EdaSample>(eda)))
        {
            // Nothing is scored ahead of what has been handed out: the gap is never held as a list.
            Assert.Equal(output.Clip + 1, harness.Pipeline.Counters.Clips);
            if (output.ClipEnd > TimeSpan.FromSeconds(20) && ++seen == 20)
            {
                Assert.Equal(MissingReasons.Stalled, output.Modalities["eda"].Reason);
                break;
            }
        }

        Assert.Equal(20, seen);
    }

    private sealed class ListSource<T>(IEnumerable<T> samples) : ISampleSource<T>
    {
        public string Description => "test samples";

        public async IAsyncEnumerable<T> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var sample in samples)
            {
                await Task.Yield();
                yield return sample;
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
