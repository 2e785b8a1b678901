using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Sensors.Synthetic;
using EdgeEmotion.Tests;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeEmotion.Sensors.Tests.Synthetic;

public sealed class SyntheticVideoSourceTests(ITestOutputHelper output)
{
    private static SyntheticVideoOptions Options(double seconds, string dropouts = "", int seed = 1) => new()
    {
        FaceImagePath = TestMedia.FaceImage,
        Duration = TimeSpan.FromSeconds(seconds),
        Dropouts = DropoutScript.Parse(dropouts),
        Seed = seed,
    };

    [Fact]
    public async Task Frames_have_the_size_rate_and_exact_timestamps_asked_for()
    {
        await using var source = new SyntheticVideoSource(Options(2) with { Width = 160, Height = 120, FrameRate = 25 });

        var frames = await ReadAllAsync(source);
        try
        {
            Assert.Equal(50, frames.Count);
            for (var i = 0; i < frames.Count; i++)
            {
                Assert.Equal(TimeSpan.FromTicks(i * 400_000L), frames[i].Timestamp);
                Assert.Equal(new Size(160, 120), frames[i].Image.Size());
                Assert.Equal(MatType.CV_8UC3, frames[i].Image.Type());
            }
        }
        finally
        {
            DisposeAll(frames);
        }
    }

    [Fact]
    public async Task The_face_is_found_in_nearly_every_frame()
    {
        await using var source = new SyntheticVideoSource(Options(4));
        using var cropper = new FaceCropper(TestMedia.Kinetics112);
        var tensor = new float[3 * 112 * 112];
        int frames = 0, detected = 0;

        await foreach (var frame in source.ReadAsync(CancellationToken.None))
        {
            using (frame)
            {
                frames++;
                detected += cropper.Crop(frame.Image, tensor) == FaceCropStatus.Detected ? 1 : 0;
            }
        }

        output.WriteLine($"synthetic video: face detected in {detected} of {frames} frames");
        Assert.Equal(120, frames);
        Assert.True(detected >= 0.9 * frames, $"{detected} of {frames}");
    }

    [Fact]
    public async Task Same_seed_same_frames_and_consecutive_frames_differ()
    {
        await using var a = new SyntheticVideoSource(Options(0.2));
        await using var b = new SyntheticVideoSource(Options(0.2));
        await using var c = new SyntheticVideoSource(Options(0.2, seed: 2));
        var framesA = await ReadAllAsync(a);
        var framesB = await ReadAllAsync(b);
        var framesC = await ReadAllAsync(c);
        try
        {
            Assert.Equal(0, Difference(framesA[3].Image, framesB[3].Image));
            Assert.True(Difference(framesA[3].Image, framesC[3].Image) > 0);
            using var detector = new FrozenFrameDetector();
            detector.Observe(framesA[0].Image);
            Assert.False(detector.Observe(framesA[1].Image));
        }
        finally
        {
            DisposeAll(framesA);
            DisposeAll(framesB);
            DisposeAll(framesC);
        }
    }

    [Fact]
    public async Task Missing_yields_nothing_in_the_interval()
    {
        await using var source = new SyntheticVideoSource(Options(3, "visual:missing@1-1.5"));

        var frames = await ReadAllAsync(source);
        DisposeAll(frames);

        Assert.Equal(90 - 15, frames.Count);
        Assert.DoesNotContain(frames, f => f.Timestamp >= TimeSpan.FromSeconds(1) && f.Timestamp < TimeSpan.FromSeconds(1.5));
        Assert.Contains(frames, f => f.Timestamp == TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task Frozen_repeats_the_last_frame_through_the_interval()
    {
        await using var source = new SyntheticVideoSource(Options(2, "visual:frozen@1-1.5"));
        using var detector = new FrozenFrameDetector();
        var frames = await ReadAllAsync(source);
        try
        {
            // Frames 30-44 (1.0 s to 1.4667 s) repeat frame 29.
            Assert.Equal(60, frames.Count);
            var lastLive = frames.Single(f => f.Timestamp == TimeSpan.FromTicks(9_666_667));
            var repeats = new List<bool>();
            foreach (var frame in frames)
            {
                var repeat = detector.Observe(frame.Image);
                var frozen = frame.Timestamp >= TimeSpan.FromSeconds(1) && frame.Timestamp < TimeSpan.FromSeconds(1.5);
                Assert.Equal(frozen, repeat);
                if (frozen)
                {
                    Assert.Equal(0, Difference(lastLive.Image, frame.Image));
                }
            }

            Assert.Equal(0, detector.ConsecutiveRepeats);
        }
        finally
        {
            DisposeAll(frames);
        }
    }

    [Fact]
    public async Task An_endless_source_runs_until_the_reader_stops()
    {
        await using var source = new SyntheticVideoSource(Options(1) with { Duration = null, Width = 64, Height = 48 });
        var count = 0;

        await foreach (var frame in source.ReadAsync(CancellationToken.None))
        {
            frame.Dispose();
            if (++count == 100)
            {
                break;
            }
        }

        Assert.Equal(100, count);
    }

    [Fact]
    public void A_missing_face_photo_is_named()
    {
        var options = Options(1) with { FaceImagePath = "/nonexistent/face.jpg" };

        var error = Assert.Throws<FileNotFoundException>(() => new SyntheticVideoSource(options));

        Assert.Contains("/nonexistent/face.jpg", error.Message, StringComparison.Ordinal);
    }

    private static double Difference(Mat a, Mat b)
    {
        using var difference = new Mat();
        Cv2.Absdiff(a, b, difference);
        var mean = Cv2.Mean(difference);
        return mean.Val0 + mean.Val1 + mean.Val2;
    }

    private static async Task<List<VideoFrame>> ReadAllAsync(SyntheticVideoSource source)
    {
        var frames = new List<VideoFrame>();
        await foreach (var frame in source.ReadAsync(CancellationToken.None))
        {
            frames.Add(frame);
        }

        return frames;
    }

    private static void DisposeAll(List<VideoFrame> frames)
    {
        foreach (var frame in frames)
        {
            frame.Dispose();
        }
    }
}
