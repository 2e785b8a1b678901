namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// Delays between connection attempts: exponential with full jitter. Attempt n waits a uniform
/// random time between the minimum and min(maximum, minimum * 2^n), so a fleet that lost its
/// broker at the same moment does not come back in lockstep.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan min;
    private readonly TimeSpan max;
    private readonly Random random;

    public ReconnectBackoff(TimeSpan min, TimeSpan max, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        ArgumentNullException.ThrowIfNull(random);
        this.min = min;
        this.max = max;
        this.random = random;
    }

    /// <summary>Failed attempts since the last <see cref="Reset"/>.</summary>
    public int Attempt { get; private set; }

    /// <summary>The longest delay the next call to <see cref="Next"/> may return.</summary>
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

        // Full jitter (uniform over the whole range), not "ceiling plus a little noise".
        var span = (ceiling - min).Ticks * random.NextDouble();
        return min + TimeSpan.FromTicks((long)span);
    }

    public void Reset() => Attempt = 0;
}
