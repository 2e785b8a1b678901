using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Sensors.Replay;
using EdgeEmotion.Tests;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeEmotion.Sensors.Tests.Replay;

public sealed class VideoFileSourceTests(ITestOutputHelper output)
{
    // Only a guard against a hang: long enough never to matter on a slow machine.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Reads_every_frame_of_face_mp4_with_exact_timestamps()
    {
        await using var source = new VideoFileSource(TestMedia.FaceVideo);
        Assert.Equal(30, source.FrameRate);
        Assert.True(source.FrameRateFromContainer);
        Assert.Equal(360, source.ReportedFrameCount);
        Assert.Equal((320, 240), (source.FrameWidth, source.FrameHeight));

        var timestamps = new List<TimeSpan>();
        await foreach (var frame in source.ReadAsync(Guard()))
        {
            using (frame)
            {
                Assert.Equal(MatType.CV_8UC3, frame.Image.Type());
                Assert.Equal(new Size(320, 240), frame.Image.Size());
                timestamps.Add(frame.Timestamp);
            }
        }

        Assert.Equal(360, timestamps.Count);
        Assert.Equal(360, source.FramesRead);
        Assert.True(source.Finished);
        Assert.False(source.EndedEarly);
        for (var i = 0; i < timestamps.Count; i++)
        {
            Assert.Equal(TimeSpan.FromTicks((long)Math.Round(i * 1e7 / 30)), timestamps[i]);
        }

        Assert.Equal(TimeSpan.FromSeconds(1), timestamps[30]);
        Assert.Equal(TimeSpan.FromSeconds(10), timestamps[300]);
    }

    [Fact]
    public async Task Start_offset_shifts_every_timestamp()
    {
        var offset = TimeSpan.FromSeconds(100);
        await using var source = new VideoFileSource(TestMedia.FaceVideo, new VideoFileSourceOptions { StartOffset = offset });

        var first = await TakeAsync(source, 31);

        Assert.Equal(offset, first[0]);
        Assert.Equal(offset + TimeSpan.FromSeconds(1), first[30]);
    }

    [Fact]
    public async Task Haar_finds_the_face_in_nearly_every_frame_of_face_mp4()
    {
        var rate = await DetectionRateAsync(TestMedia.FaceVideo);

        output.WriteLine($"face.mp4: face detected in {rate:P1} of frames");
        Assert.True(rate >= 0.9, $"detection rate {rate:P1}");
    }

    [Fact]
    public async Task Haar_finds_no_face_in_most_frames_of_noface_mp4()
    {
        var rate = await DetectionRateAsync(TestMedia.NoFaceVideo);

        output.WriteLine($"noface.mp4: face detected in {rate:P1} of frames");
        Assert.True(rate <= 0.1, $"detection rate {rate:P1}");
    }

    [Fact]
    public async Task Noface_mp4_states_its_own_rate()
    {
        await using var source = new VideoFileSource(TestMedia.NoFaceVideo);

        var timestamps = await TakeAsync(source, int.MaxValue);

        Assert.Equal(10, source.FrameRate);
        Assert.Equal(50, timestamps.Count);
        Assert.Equal(TimeSpan.FromSeconds(4.9), timestamps[^1]);
    }

    [Fact]
    public void A_corrupt_file_fails_to_open_with_a_clear_message()
    {
        var error = Assert.Throws<SourceException>(() => new VideoFileSource(TestMedia.CorruptVideo));

        Assert.Equal($"video file {TestMedia.CorruptVideo}", error.SourceDescription);
        Assert.Contains("corrupt.mp4", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be opened: missing, not a video, or an unsupported codec", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_says_so()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-video-{Guid.NewGuid():N}.mp4");

        var error = Assert.Throws<SourceException>(() => new VideoFileSource(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_file_ends_early_without_an_exception()
    {
        await using var source = new VideoFileSource(TestMedia.TruncatedVideo);
        Assert.Equal(360, source.ReportedFrameCount);

        var timestamps = await TakeAsync(source, int.MaxValue);

        output.WriteLine($"truncated.mp4: {timestamps.Count} of {source.ReportedFrameCount} frames, {source.FailedReads} failed reads");
        Assert.InRange(timestamps.Count, 1, 359);
        Assert.Equal(timestamps.Count, source.FramesRead);
        Assert.True(source.Finished);
        Assert.True(source.EndedEarly);

        // It gave up after the configured failures in a row (earlier lone failures were retried).
        Assert.True(source.FailedReads >= new VideoFileSourceOptions().MaxConsecutiveFailedReads);
    }

    [Fact]
    public async Task A_file_is_read_once()
    {
        await using var source = new VideoFileSource(TestMedia.FaceVideo);
        await TakeAsync(source, 1);

        Assert.Throws<InvalidOperationException>(() => source.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Cancellation_stops_between_frames()
    {
        await using var source = new VideoFileSource(TestMedia.FaceVideo);
        using var cancel = new CancellationTokenSource();
        var count = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var frame in source.ReadAsync(cancel.Token))
            {
                frame.Dispose();
                if (++count == 5)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.Equal(5, count);
        Assert.False(source.Finished);
    }

    [Fact]
    public void Options_out_of_range_are_named()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new VideoFileSource(TestMedia.FaceVideo, new VideoFileSourceOptions { FallbackFrameRate = 0 }));

        Assert.Equal(nameof(VideoFileSourceOptions.FallbackFrameRate), error.ParamName);
    }

    private static async Task<List<TimeSpan>> TakeAsync(VideoFileSource source, int count)
    {
        var timestamps = new List<TimeSpan>();
        await foreach (var frame in source.ReadAsync(Guard()))
        {
            frame.Dispose();
            timestamps.Add(frame.Timestamp);
            if (timestamps.Count == count)
            {
                break;
            }
        }

        return timestamps;
    }

    private static async Task<double> DetectionRateAsync(string path)
    {
        await using var source = new VideoFileSource(path);
        using var cropper = new FaceCropper(TestMedia.Kinetics112);
        var tensor = new float[3 * 112 * 112];
        int frames = 0, detected = 0;
        await foreach (var frame in source.ReadAsync(Guard()))
        {
            using (frame)
            {
                frames++;
                if (cropper.Crop(frame.Image, tensor) == FaceCropStatus.Detected)
                {
                    detected++;
                }
            }
        }

        Assert.True(frames > 0);
        return (double)detected / frames;
    }

    private static CancellationToken Guard() => new CancellationTokenSource(HangGuard).Token;
}
