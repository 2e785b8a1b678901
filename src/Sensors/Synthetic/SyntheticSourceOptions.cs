namespace EdgeEmotion.Sensors.Synthetic;

/// <summary>
/// What every synthetic source shares: a seed (same seed and options, same samples), a length,
/// pacing, and scripted dropouts. Timestamps start at zero and are exact: sample i of a stream
/// at r Hz is stamped i / r (to the nearest 100 ns tick), whatever the pacing.
/// </summary>
public abstract record SyntheticSourceOptions
{
    public int Seed { get; init; } = 1;

    /// <summary>Media time after which the source ends; null runs until cancelled.</summary>
    public TimeSpan? Duration { get; init; }

    public SourcePacing Pacing { get; init; } = SourcePacing.AsFastAsPossible;

    /// <summary>The clock real-time pacing waits on.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Dropouts; only those for this source's modality apply.</summary>
    public DropoutScript Dropouts { get; init; } = DropoutScript.None;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value out of range.</summary>
    public virtual void Validate()
    {
        if (Duration is { } duration && duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Duration), duration, "Duration must be positive, or null for an endless source.");
        }

        if (!Enum.IsDefined(Pacing))
        {
            throw new ArgumentOutOfRangeException(nameof(Pacing), Pacing, "Unknown pacing.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(Dropouts);
    }

    /// <summary>True while <paramref name="time"/> is inside the source's duration.</summary>
    internal bool Covers(TimeSpan time) => Duration is not { } duration || time < duration;

    private protected static void CheckRange(bool ok, object value, string name, string range)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {range}.");
        }
    }
}
