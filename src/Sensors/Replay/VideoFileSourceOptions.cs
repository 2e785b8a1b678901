namespace EdgeEmotion.Sensors.Replay;

/// <summary>Options for <see cref="VideoFileSource"/>.</summary>
public sealed record VideoFileSourceOptions
{
    /// <summary>Frame rate used when the container states none (0 or NaN) or an implausible one.</summary>
    public double FallbackFrameRate { get; init; } = 30;

    /// <summary>Added to every timestamp: frame i is stamped <c>StartOffset + i / fps</c>.</summary>
    public TimeSpan StartOffset { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Failed reads in a row after which a file that is truncated or corrupt mid-way is taken
    /// as ended. The decoder already skips what it can inside one read, so a few suffice.
    /// </summary>
    public int MaxConsecutiveFailedReads { get; init; } = 10;

    public SourcePacing Pacing { get; init; } = SourcePacing.AsFastAsPossible;

    /// <summary>The clock real-time pacing waits on.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (!(FallbackFrameRate > 0 && FallbackFrameRate <= VideoFileSource.MaxPlausibleFrameRate))
        {
            throw new ArgumentOutOfRangeException(
                nameof(FallbackFrameRate), FallbackFrameRate, $"FallbackFrameRate must be in (0, {VideoFileSource.MaxPlausibleFrameRate}] frames per second.");
        }

        if (StartOffset < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StartOffset), StartOffset, "StartOffset cannot be negative.");
        }

        if (MaxConsecutiveFailedReads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConsecutiveFailedReads), MaxConsecutiveFailedReads, "MaxConsecutiveFailedReads must be at least 1.");
        }

        if (!Enum.IsDefined(Pacing))
        {
            throw new ArgumentOutOfRangeException(nameof(Pacing), Pacing, "Unknown pacing.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
