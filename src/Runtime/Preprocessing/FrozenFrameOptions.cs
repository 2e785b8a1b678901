namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>How <see cref="FrozenFrameDetector"/> compares frames.</summary>
public sealed record FrozenFrameOptions
{
    /// <summary>Frames are compared as grayscale thumbnails this wide (aspect kept).</summary>
    public int ThumbnailWidth { get; init; } = 64;

    /// <summary>
    /// Mean absolute difference, in gray levels (0-255), at or below which a frame counts as a repeat.
    /// A frozen camera re-delivers the same buffer (difference 0); the threshold only absorbs
    /// re-encoding noise. Sensor noise normally keeps a live still scene above it; raise it
    /// for a source that re-encodes frozen frames.
    /// </summary>
    public double Threshold { get; init; } = 0.1;

    public void Validate()
    {
        if (ThumbnailWidth < 4)
        {
            throw new ArgumentOutOfRangeException(nameof(ThumbnailWidth), ThumbnailWidth, "FrozenFrameOptions.ThumbnailWidth must be at least 4 pixels.");
        }

        if (!(Threshold >= 0) || !double.IsFinite(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "FrozenFrameOptions.Threshold must be zero or more gray levels.");
        }
    }
}
