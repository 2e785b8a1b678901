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

/// <summary>
/// Mono audio as floats in [-1, 1]; <see cref="Timestamp"/> is that of the first sample. The samples
/// may be lent from an <see cref="AudioBlockPool"/>: whoever consumes the block last disposes it (the
/// pipeline does, once it has copied them), which hands them back; reading a block after that is a bug.
/// Disposing a block that was never pooled does nothing.
/// </summary>
public sealed record AudioBlock(TimeSpan Timestamp, int SampleRate, float[] Samples) : IDisposable
{
    // Copies made with `with` share the lease and the generation, so only one of them returns the array.
    private readonly AudioBlockPool.Lease? lease;
    private readonly long lent;

    internal AudioBlock(TimeSpan timestamp, int sampleRate, float[] samples, AudioBlockPool.Lease lease, long lent)
        : this(timestamp, sampleRate, samples)
    {
        this.lease = lease;
        this.lent = lent;
    }

    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);

    /// <summary>The samples came from a pool and go back to it on <see cref="Dispose"/>.</summary>
    public bool IsPooled => lease is not null;

    public void Dispose() => lease?.Return(lent);
}

/// <summary>One electrodermal-activity reading, already calibrated to microsiemens.</summary>
public readonly record struct EdaSample(TimeSpan Timestamp, double Microsiemens);
