using System.Collections.Concurrent;
using EdgeEmotion.Sensors.Camera;
using Microsoft.Extensions.Logging;
using OpenCvSharp;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace EdgeEmotion.Sensors.Tests.Camera;


/// <summary>The system clock, recording the due time of every timer created on it (Task.Delay and WaitAsync timeouts).</summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> dueTimes = new();

    public IReadOnlyList<TimeSpan> DueTimes => [.. dueTimes];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            dueTimes.Enqueue(dueTime);
        }

        return System.CreateTimer(callback, state, dueTime, period);
    }
}

/// <summary>A capture whose reads a test scripts: read i (from 0) fills the frame or fails.</summary>
internal sealed class ScriptedCapture(Func<int, Mat, bool> read, double frameRate = 30) : ICameraCapture
{
    private int reads;
    private volatile bool disposed;

    public double FrameRate { get; } = frameRate;

    public int Reads => Volatile.Read(ref reads);

    public bool Disposed => disposed;

    public bool Read(Mat frame)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var index = Interlocked.Increment(ref reads) - 1;
        return read(index, frame);
    }

    public void Dispose() => disposed = true;

    /// <summary>Distinct frames: each a different flat gray.</summary>
    public static ScriptedCapture Live() => new((i, frame) => Fill(frame, 10 + (i * 7 % 240)));

    /// <summary>The same frame every time: a hung Argus sensor.</summary>
    public static ScriptedCapture Frozen() => new((_, frame) => Fill(frame, 128));

    public static bool Fill(Mat frame, int gray)
    {
        frame.Create(48, 64, MatType.CV_8UC3);
        frame.SetTo(new Scalar(gray, gray, gray));
        return true;
    }
}

/// <summary>Hands out the scripted captures in order, the last one again when they run out.</summary>
internal sealed class ScriptedCaptureFactory(params Func<ICameraCapture>[] captures) : ICameraCaptureFactory
{
    private readonly ConcurrentQueue<ICameraCapture> opened = new();

    public IReadOnlyList<ICameraCapture> Opened => [.. opened];

    public ICameraCapture Open(CameraOptions options)
    {
        var index = Math.Min(opened.Count, captures.Length - 1);
        var capture = captures[index]();
        opened.Enqueue(capture);
        return capture;
    }
}

internal static class CameraSourceReading
{
    /// <summary>The first <paramref name="count"/> frames (disposing them), then stops reading.</summary>
    public static async Task<List<TimeSpan>> TakeTimestampsAsync(CameraSource source, int count)
    {
        // A guard against a hang only, never a speed limit.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var timestamps = new List<TimeSpan>();
        await foreach (var frame in source.ReadAsync(guard.Token))
        {
            using (frame)
            {
                Assert.Equal(MatType.CV_8UC3, frame.Image.Type());
                timestamps.Add(frame.Timestamp);
            }

            if (timestamps.Count == count)
            {
                break;
            }
        }

        return timestamps;
    }

    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), guard.Token);
        }
    }

    public static void AssertStrictlyIncreasing(IReadOnlyList<TimeSpan> timestamps)
    {
        for (var i = 1; i < timestamps.Count; i++)
        {
            Assert.True(timestamps[i] > timestamps[i - 1], $"timestamp {i} ({timestamps[i]}) is not after {timestamps[i - 1]}");
        }
    }
}
