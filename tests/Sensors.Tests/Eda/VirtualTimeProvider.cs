namespace EdgeEmotion.Sensors.Tests.Eda;

/// <summary>
/// A clock that jumps: every timer fires at once and moves time forward by its due time, so
/// code that waits on <see cref="TimeProvider"/> runs as fast as the CPU allows and sees exactly
/// the time it asked for. For one waiter at a time (a source's read loop).
/// </summary>
internal sealed class VirtualTimeProvider : TimeProvider
{
    private long ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref ticks));

    public override long GetTimestamp() => Interlocked.Read(ref ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero) + Elapsed;

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Advance(dueTime);
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
