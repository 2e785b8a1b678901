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
        if (pacing == SourcePacing.AsFastAsPossible)
        {
            return ValueTask.CompletedTask;
        }

        var wait = mediaTime - origin - clock.GetElapsedTime(startTimestamp);
        return wait > TimeSpan.Zero ? new ValueTask(Task.Delay(wait, clock, cancellationToken)) : ValueTask.CompletedTask;
    }
}
