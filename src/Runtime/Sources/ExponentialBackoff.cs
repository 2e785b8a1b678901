namespace EdgeEmotion.Runtime.Sources;

/// <summary>
/// Delays between retries of something that keeps failing (a sensor to reopen, a broker to
/// reconnect): the minimum, doubling per failure in a row, capped at the maximum. With a random
/// source, full jitter: attempt n waits a uniform time between the minimum and that ceiling, so a
/// fleet that lost its broker at the same moment does not come back in lockstep; one device
/// retrying its own sensor needs none.
/// </summary>
public sealed class ExponentialBackoff
{
    private readonly TimeSpan min;
    private readonly TimeSpan max;
    private readonly Random? jitter;

    public ExponentialBackoff(TimeSpan min, TimeSpan max, Random? jitter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        this.min = min;
        this.max = max;
        this.jitter = jitter;
    }

    /// <summary>Failed attempts since the last <see cref="Reset"/>.</summary>
    public int Attempt { get; private set; }

    /// <summary>The longest delay the next call to <see cref="Next"/> may return (the delay itself without jitter).</summary>
    public TimeSpan Ceiling
    {
        get
        {
            // Doubling past 2^30 overflows long before any sane maximum; stop early.
            var factor = Math.Pow(2, Math.Min(Attempt, 30));
            var ceiling = min.Ticks * factor;
            return ceiling >= max.Ticks ? max : TimeSpan.FromTicks((long)ceiling);
        }
    }

    /// <summary>The delay before the next attempt; each call counts one more failure.</summary>
    public TimeSpan Next()
    {
        var ceiling = Ceiling;
        Attempt++;
        if (jitter is null)
        {
            return ceiling;
        }

        // Full jitter (uniform over the whole range), not "ceiling plus a little noise".
        var span = (ceiling - min).Ticks * jitter.NextDouble();
        return min + TimeSpan.FromTicks((long)span);
    }

    public void Reset() => Attempt = 0;
}
