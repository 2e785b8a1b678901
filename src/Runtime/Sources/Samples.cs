using OpenCvSharp;

namespace EdgeEmotion.Runtime.Sources;

// The samples every source produces and the pipeline consumes. Timestamps are on one monotonic
// clock per run (media time for replay, Stopwatch time for devices), never wall-clock time.

/// <summary>A camera or video frame: 8-bit BGR (CV_8UC3). The frame owns its image.</summary>
public sealed class VideoFrame(TimeSpan timestamp, Mat image) : IDisposable
{
    public TimeSpan Timestamp { get; } = timestamp;

    public Mat Image { get; } = image;

    public void Dispose() => Image.Dispose();
}

/// <summary>Mono audio as floats in [-1, 1]; <see cref="Timestamp"/> is that of the first sample.</summary>
public sealed record AudioBlock(TimeSpan Timestamp, int SampleRate, float[] Samples)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}

/// <summary>One electrodermal-activity reading, already calibrated to microsiemens.</summary>
public readonly record struct EdaSample(TimeSpan Timestamp, double Microsiemens);
