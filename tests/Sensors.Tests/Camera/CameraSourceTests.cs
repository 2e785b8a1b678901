using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Tests;
using OpenCvSharp;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace EdgeEmotion.Sensors.Tests.Camera;

public sealed class CameraSourceTests
{
    // A stall timeout no read on a loaded test machine reaches: only the stall test times out.
    private static readonly TimeSpan Patient = TimeSpan.FromMinutes(1);

    private readonly ListLogger<CameraSource> logger = new();

    [Fact]
    public async Task MissingV4l2DeviceIsRetriedWithBackoffUntilCancelled()
    {
        var clock = new RecordingTimeProvider();
        var options = new CameraOptions
        {
            Kind = CameraKind.V4l2,
            Device = "/dev/video99",
            ReopenMinDelay = TimeSpan.FromMilliseconds(10),
            ReopenMaxDelay = TimeSpan.FromMilliseconds(40),
        };
        await using var source = new CameraSource(options, logger, clock);
        using var stop = new CancellationTokenSource();

        var reading = Task.Run(async () =>
        {
            await foreach (var frame in source.ReadAsync(stop.Token))
            {
                frame.Dispose();
            }
        });
        await CameraSourceReading.WaitUntilAsync(() => source.OpenFailures >= 5);
        Assert.False(reading.IsCompleted, "the source gave up instead of retrying");
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.Equal(0, source.Opens);
        Assert.Contains("/dev/video99 does not exist", source.LastError, StringComparison.Ordinal);
        var ms = TimeSpan.FromMilliseconds(1);
        // Every timer but the open timeouts is a backoff delay.
        Assert.Equal([10 * ms, 20 * ms, 40 * ms, 40 * ms], clock.DueTimes.Where(t => t != options.OpenTimeout).Take(4));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("/dev/video99 did not open", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CsiWithoutGStreamerFailsOnceNamingTheMissingBackendAndTheDoc()
    {
        await using var source = new CameraSource(new CameraOptions { Kind = CameraKind.Csi }, logger);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<SourceException>(async () =>
        {
            await foreach (var frame in source.ReadAsync(guard.Token))
            {
                frame.Dispose();
            }
        });

        Assert.Contains("built without GStreamer", error.Message, StringComparison.Ordinal);
        Assert.Contains("deploy/jetson/sensors-camera.md", error.Message, StringComparison.Ordinal);
        Assert.Equal("camera csi0", error.SourceDescription);
        Assert.Equal(1, source.OpenFailures);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("GStreamer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FileFramesAreStampedByIndexOverFrameRate()
    {
        var options = new CameraOptions { Kind = CameraKind.File, Path = TestMedia.FaceVideo, Pacing = SourcePacing.AsFastAsPossible, StallTimeout = Patient };
        await using var source = new CameraSource(options, logger);

        var timestamps = await CameraSourceReading.TakeTimestampsAsync(source, int.MaxValue);

        Assert.Equal(360, timestamps.Count);
        for (var i = 0; i < timestamps.Count; i++)
        {
            Assert.Equal(TimeSpan.FromTicks((long)Math.Round(i * (double)TimeSpan.TicksPerSecond / 30)), timestamps[i]);
        }

        Assert.Equal(1, source.Opens);
        Assert.Equal(0, source.Reopens);
        Assert.Equal(0, source.FrozenRuns);
        Assert.Equal(360, source.FramesRead);
    }

    [Fact]
    public async Task LoopingFileCarriesTimestampsOn()
    {
        // noface.mp4: 50 frames at 10 fps; 125 frames is two full passes and a half.
        var options = new CameraOptions { Kind = CameraKind.File, Path = TestMedia.NoFaceVideo, Loop = true, Pacing = SourcePacing.AsFastAsPossible, StallTimeout = Patient };
        await using var source = new CameraSource(options, logger);

        var timestamps = await CameraSourceReading.TakeTimestampsAsync(source, 125);

        Assert.Equal(125, timestamps.Count);
        for (var i = 0; i < timestamps.Count; i++)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(100 * i), timestamps[i]);
        }

        Assert.Equal(2, source.Loops);
        Assert.Equal(3, source.Opens);
        Assert.Equal(0, source.Reopens);
    }

    [Fact]
    public async Task StalledCaptureIsDetectedAndReopened()
    {
        using var release = new ManualResetEventSlim();
        ScriptedCapture? stalling = null;
        var freedUnderRead = false;
        stalling = new ScriptedCapture((i, frame) =>
        {
            if (i < 3)
            {
                return ScriptedCapture.Fill(frame, 20 + (i * 30));
            }

            release.Wait(TimeSpan.FromMinutes(2));
            freedUnderRead = stalling!.Disposed;
            return false;
        });
        var factory = new ScriptedCaptureFactory(() => stalling, ScriptedCapture.Live);
        var options = new CameraOptions
        {
            Kind = CameraKind.V4l2,
            StallTimeout = TimeSpan.FromMilliseconds(200),
            ReopenMinDelay = TimeSpan.FromMilliseconds(10),
        };
        await using var source = new CameraSource(options, logger, captureFactory: factory);

        var timestamps = await CameraSourceReading.TakeTimestampsAsync(source, 8);

        Assert.Equal(8, timestamps.Count);
        CameraSourceReading.AssertStrictlyIncreasing(timestamps);
        // Exactly one stall unless a loaded machine delayed a read past the timeout too: count, don't time.
        Assert.True(source.Stalls >= 1);
        Assert.Equal(source.Stalls, source.Reopens);
        Assert.Equal(source.Reopens + 1, source.Opens);
        Assert.Equal(source.Opens, factory.Opened.Count);
        Assert.Contains("stall", source.LastError, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("(stall); reopening", StringComparison.Ordinal));

        // The hung read is abandoned, never freed under: the capture closes once the read returns.
        release.Set();
        await CameraSourceReading.WaitUntilAsync(() => stalling.Disposed);
        Assert.False(Volatile.Read(ref freedUnderRead));
    }

    [Fact]
    public async Task FrozenCaptureIsDetectedAfterFrozenFramesAndReopened()
    {
        var frozen = ScriptedCapture.Frozen();
        var factory = new ScriptedCaptureFactory(() => frozen, ScriptedCapture.Live);
        var options = new CameraOptions { Kind = CameraKind.V4l2, FrozenFrames = 5, ReopenMinDelay = TimeSpan.FromMilliseconds(10), StallTimeout = Patient };
        await using var source = new CameraSource(options, logger, captureFactory: factory);

        var timestamps = await CameraSourceReading.TakeTimestampsAsync(source, 10);

        // The first frame and 4 repeats pass; the 5th repeat in a row is the frozen run.
        Assert.Equal(6, frozen.Reads);
        Assert.True(frozen.Disposed);
        Assert.Equal(1, source.FrozenRuns);
        Assert.Equal(1, source.Reopens);
        Assert.Equal(2, source.Opens);
        CameraSourceReading.AssertStrictlyIncreasing(timestamps);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("5 identical frames in a row", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadFailuresInARowReopenTheCapture()
    {
        var failing = new ScriptedCapture((_, _) => false);
        var factory = new ScriptedCaptureFactory(() => failing, ScriptedCapture.Live);
        var options = new CameraOptions { Kind = CameraKind.V4l2, MaxReadFailures = 3, ReopenMinDelay = TimeSpan.FromMilliseconds(10), StallTimeout = Patient };
        await using var source = new CameraSource(options, logger, captureFactory: factory);

        var timestamps = await CameraSourceReading.TakeTimestampsAsync(source, 4);

        Assert.Equal(4, timestamps.Count);
        Assert.Equal(3, source.ReadFailures);
        Assert.Equal(1, source.Reopens);
        Assert.Equal(3, failing.Reads);
        Assert.True(failing.Disposed);
    }

    [Fact]
    public async Task CameraThatComesUpLaterIsPickedUp()
    {
        var attempts = 0;
        var factory = new ScriptedCaptureFactory(() =>
            ++attempts <= 3 ? throw new CameraOpenException("not plugged in yet", permanent: false) : ScriptedCapture.Live());
        var options = new CameraOptions { Kind = CameraKind.V4l2, ReopenMinDelay = TimeSpan.FromMilliseconds(5), StallTimeout = Patient };
        await using var source = new CameraSource(options, logger, captureFactory: factory);

        var timestamps = await CameraSourceReading.TakeTimestampsAsync(source, 5);

        Assert.Equal(5, timestamps.Count);
        Assert.Equal(3, source.OpenFailures);
        Assert.Equal(1, source.Opens);
        Assert.Equal("not plugged in yet", source.LastError);
        Assert.Contains(logger.Entries, e => e.Message == "Opened camera /dev/video0");
    }

    [Fact]
    public async Task CancellingDuringAHangingOpenReturnsAndClosesTheLateCapture()
    {
        using var openEntered = new ManualResetEventSlim();
        using var letOpenFinish = new ManualResetEventSlim();
        var late = ScriptedCapture.Live();
        var factory = new ScriptedCaptureFactory(() =>
        {
            openEntered.Set();
            letOpenFinish.Wait(TimeSpan.FromMinutes(2));
            return late;
        });
        await using var source = new CameraSource(new CameraOptions { Kind = CameraKind.V4l2 }, logger, captureFactory: factory);
        using var stop = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            await foreach (var frame in source.ReadAsync(stop.Token))
            {
                frame.Dispose();
            }
        });
        await CameraSourceReading.WaitUntilAsync(() => openEntered.IsSet);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        letOpenFinish.Set();

        await CameraSourceReading.WaitUntilAsync(() => late.Disposed);
        Assert.Equal(0, source.Opens);
    }

    [Fact]
    public async Task HangingOpenTimesOutWithoutStartingAnotherUntilItReturns()
    {
        using var letOpenFinish = new ManualResetEventSlim();
        var late = ScriptedCapture.Live();
        var calls = 0;
        var factory = new ScriptedCaptureFactory(() =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                letOpenFinish.Wait(TimeSpan.FromMinutes(2));
                return late;
            }

            return ScriptedCapture.Live();
        });
        var options = new CameraOptions
        {
            Kind = CameraKind.V4l2,
            OpenTimeout = TimeSpan.FromMilliseconds(50),
            ReopenMinDelay = TimeSpan.FromMilliseconds(5),
            ReopenMaxDelay = TimeSpan.FromMilliseconds(20),
            StallTimeout = Patient,
        };
        await using var source = new CameraSource(options, logger, captureFactory: factory);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var frames = source.ReadAsync(guard.Token).GetAsyncEnumerator(guard.Token);
        var first = frames.MoveNextAsync();

        await CameraSourceReading.WaitUntilAsync(() => source.OpenFailures >= 4);
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.False(first.IsCompleted);
        letOpenFinish.Set();

        Assert.True(await first);
        frames.Current.Dispose();
        await CameraSourceReading.WaitUntilAsync(() => late.Disposed);
        // Normally 2; a loaded machine may time out the second open too, never the count of opens that worked.
        Assert.True(Volatile.Read(ref calls) >= 2);
        Assert.Equal(1, source.Opens);
    }

    [Fact]
    public async Task CameraFramesAreStampedWithTimeSinceStartOnTheTimeProvider()
    {
        var clock = new ManualTimestamps();
        clock.Advance(TimeSpan.FromHours(5)); // the clock's origin is not the source's
        var period = TimeSpan.FromMilliseconds(33);
        var capture = new ScriptedCapture((i, frame) =>
        {
            // Frames 0-2 arrive one period apart; frame 3 with no time passing still comes later.
            if (i < 3)
            {
                clock.Advance(period);
            }

            return ScriptedCapture.Fill(frame, 10 + (i * 20));
        });
        var options = new CameraOptions { Kind = CameraKind.V4l2, StallTimeout = Patient };
        await using var source = new CameraSource(options, logger, clock, new ScriptedCaptureFactory(() => capture));

        var timestamps = await CameraSourceReading.TakeTimestampsAsync(source, 4);

        Assert.Equal([period, 2 * period, 3 * period, (3 * period) + TimeSpan.FromTicks(1)], timestamps);
    }

    [Fact]
    public async Task FilesArePacedInRealTimeByDefault()
    {
        var options = new CameraOptions { Kind = CameraKind.File, Path = TestMedia.NoFaceVideo, StallTimeout = Patient };
        await using var source = new CameraSource(options, logger);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var started = TimeProvider.System.GetTimestamp();

        // No frame is handed out before its timestamp is due (a lower bound only: never a speed limit).
        var count = 0;
        await foreach (var frame in source.ReadAsync(guard.Token))
        {
            using (frame)
            {
                Assert.Equal(TimeSpan.FromMilliseconds(100 * count), frame.Timestamp);
                // The source's clock starts after ours, so this holds with no slack.
                Assert.True(TimeProvider.System.GetElapsedTime(started) >= frame.Timestamp, $"frame {count} came before it was due");
            }

            if (++count == 4)
            {
                break;
            }
        }

        Assert.Equal(4, count);
    }

    [Fact]
    public async Task GrayFramesAreHandedOutAsBgr()
    {
        var gray = new ScriptedCapture((i, frame) =>
        {
            frame.Create(48, 64, MatType.CV_8UC1);
            frame.SetTo(new Scalar(i * 10));
            return true;
        });
        await using var source = new CameraSource(
            new CameraOptions { Kind = CameraKind.V4l2, StallTimeout = Patient }, logger, captureFactory: new ScriptedCaptureFactory(() => gray));

        var timestamps = await CameraSourceReading.TakeTimestampsAsync(source, 3);

        Assert.Equal(3, timestamps.Count);
    }

    [Fact]
    public async Task ReadingTwiceIsRefused()
    {
        await using var source = new CameraSource(
            new CameraOptions { Kind = CameraKind.V4l2 }, logger, captureFactory: new ScriptedCaptureFactory(ScriptedCapture.Live));
        _ = source.ReadAsync(CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => source.ReadAsync(CancellationToken.None));
    }
}
