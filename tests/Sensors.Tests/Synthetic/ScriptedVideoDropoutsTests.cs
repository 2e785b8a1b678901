using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Sensors.Replay;
using EdgeEmotion.Sensors.Synthetic;
using EdgeEmotion.Tests;
using OpenCvSharp;

namespace EdgeEmotion.Sensors.Tests.Synthetic;

/// <summary>A recorded video through a dropout script: the demo on a video file keeps its scripted dropouts.</summary>
public sealed class ScriptedVideoDropoutsTests
{
    [Fact]
    public async Task Frames_in_a_missing_interval_are_dropped_and_those_in_a_frozen_one_repeat_the_last_frame_before_it()
    {
        var all = await ReadAsync(DropoutScript.None);
        var scripted = await ReadAsync(DropoutScript.Parse("visual:missing@1-2,visual:frozen@3-4"));
        try
        {
            Assert.Equal(480, all.Count);
            var expected = all.Where(f => f.Timestamp < TimeSpan.FromSeconds(1) || f.Timestamp >= TimeSpan.FromSeconds(2)).ToList();
            Assert.Equal(expected.Select(f => f.Timestamp), scripted.Select(f => f.Timestamp));
            var lastBefore = all.Last(f => f.Timestamp < TimeSpan.FromSeconds(3));
            for (var i = 0; i < expected.Count; i++)
            {
                var frozen = expected[i].Timestamp >= TimeSpan.FromSeconds(3) && expected[i].Timestamp < TimeSpan.FromSeconds(4);
                Assert.True(Same(frozen ? lastBefore.Image : expected[i].Image, scripted[i].Image), $"frame at {expected[i].Timestamp}");
            }

            // The video moves: a frozen stretch really differs from what it hides.
            Assert.False(Same(lastBefore.Image, all.Last(f => f.Timestamp < TimeSpan.FromSeconds(4)).Image));
        }
        finally
        {
            foreach (var frame in all.Concat(scripted))
            {
                frame.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_frozen_interval_at_the_start_holds_the_first_frame()
    {
        var scripted = await ReadAsync(DropoutScript.Parse("visual:frozen@0-1"));
        try
        {
            Assert.Equal(480, scripted.Count);
            var first = scripted.TakeWhile(f => f.Timestamp < TimeSpan.FromSeconds(1)).ToList();
            Assert.Equal(30, first.Count);
            Assert.All(first, f => Assert.True(Same(scripted[0].Image, f.Image)));
            Assert.False(Same(scripted[0].Image, scripted[45].Image));
        }
        finally
        {
            foreach (var frame in scripted)
            {
                frame.Dispose();
            }
        }
    }

    private static async Task<List<VideoFrame>> ReadAsync(DropoutScript script)
    {
        await using var source = new ScriptedVideoDropouts(new VideoFileSource(TestMedia.ExpressionVideo), script);
        var frames = new List<VideoFrame>();
        await foreach (var frame in source.ReadAsync(CancellationToken.None))
        {
            frames.Add(frame);
        }

        return frames;
    }

    private static bool Same(Mat a, Mat b)
    {
        using var difference = new Mat();
        Cv2.Absdiff(a, b, difference);
        return Cv2.CountNonZero(difference.Reshape(1)) == 0;
    }
}
