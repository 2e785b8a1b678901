namespace EdgeEmotion.Sensors.Microphone;

/// <summary>Frames captured so far against an optional limit (<see cref="AlsaCaptureOptions.MaxFrames"/>).</summary>
internal sealed class FrameCounter(long? limit)
{
    public long Total { get; private set; }

    public bool Done => Total >= limit;

    /// <summary>At most <paramref name="frames"/>, and no more than the limit leaves.</summary>
    public int Clamp(int frames) => limit is { } max ? (int)Math.Min(frames, max - Total) : frames;

    public void Add(int frames) => Total += frames;
}
