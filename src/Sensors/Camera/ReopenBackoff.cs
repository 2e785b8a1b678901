namespace EdgeEmotion.Sensors.Camera;

/// <summary>
/// Delays between reopen attempts: the minimum, doubling per failure in a row, capped at the
/// maximum. A camera is one device, so no jitter is needed.
/// </summary>
internal sealed class ReopenBackoff(TimeSpan min, TimeSpan max)
{
    /// <summary>Failures in a row since the last <see cref="Reset"/>.</summary>
    public int Failures { get; private set; }

    /// <summary>The delay before the next attempt; counts one more failure.</summary>
    public TimeSpan Next()
    {
        var factor = Math.Pow(2, Math.Min(Failures, 30));
        Failures++;
        var ticks = min.Ticks * factor;
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }

    public void Reset() => Failures = 0;
}
