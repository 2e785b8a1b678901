namespace EdgeEmotion.Sensors.Tests;

/// <summary>
/// A clock that jumps: every timer fires at once and moves time forward by its due time, so
/// code that waits on <see cref="TimeProvider"/> runs as fast as the CPU allows and sees exactly
/// the time it asked for. For one waiter at a time (a source's read loop). The first timer can be
/// made to fire <c>firstTimerEarly</c> before it is due, as the system's coarse timer ticks can.
/// </summary>
internal sealed class VirtualTimeProvider(TimeSpan firstTimerEarly = default) : TimeProvider
{
    private long ticks;
    private int timers;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref ticks));

    /// <summary>Timers created so far: one per wait.</summary>
    public int Timers => Volatile.Read(ref timers);

    public override long GetTimestamp() => Interlocked.Read(ref ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero) + Elapsed;

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            var first = Interlocked.Increment(ref timers) == 1;
            Advance(TimeSpan.FromTicks(Math.Max(0, (first ? dueTime - firstTimerEarly : dueTime).Ticks)));
            callback(state);
        }

        return new InertTimer();
    }

    private sealed class InertTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>Timestamps a test sets by hand (ticks of 100 ns); timers still run on the system clock.</summary>
internal sealed class ManualTimestamps : TimeProvider
{
    private long ticks;

    public TimeSpan Now
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref ticks));
        set => Interlocked.Exchange(ref ticks, value.Ticks);
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
