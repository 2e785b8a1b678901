namespace EdgeEmotion.Sensors;

/// <summary>
/// Holds samples back until their media time is due on a clock started by <see cref="Start"/>,
/// or lets them straight through when pacing is <see cref="SourcePacing.AsFastAsPossible"/>.
/// </summary>
internal sealed class Pacer(SourcePacing pacing, TimeProvider clock)
{
    private long startTimestamp;
    private TimeSpan origin;

    /// <summary>Media time <paramref name="mediaOrigin"/> is due now.</summary>
    public void Start(TimeSpan mediaOrigin)
    {
        startTimestamp = clock.GetTimestamp();
        origin = mediaOrigin;
    }

    public ValueTask WaitUntilAsync(TimeSpan mediaTime, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (pacing == SourcePacing.AsFastAsPossible || Remaining(mediaTime) <= TimeSpan.Zero)
        {
            return ValueTask.CompletedTask;
        }

        return WaitAsync(mediaTime, cancellationToken);
    }

    // Timers take at most about 49 days; a time jump in a file may ask for years: wait in steps.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    private TimeSpan Remaining(TimeSpan mediaTime) => mediaTime - origin - clock.GetElapsedTime(startTimestamp);

    // Timers count whole milliseconds from a coarse tick and can fire up to about two early: after
    // the wait, wait again (at least a millisecond) until the time is really due, so a sample is
    // never handed out early.
    private async ValueTask WaitAsync(TimeSpan mediaTime, CancellationToken cancellationToken)
    {
        var remaining = Remaining(mediaTime);
        while (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining < MaxDelay ? remaining : MaxDelay, clock, cancellationToken).ConfigureAwait(false);
            remaining = Remaining(mediaTime);
            if (remaining > TimeSpan.Zero)
            {
                remaining = TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds));
            }
        }
    }
}
