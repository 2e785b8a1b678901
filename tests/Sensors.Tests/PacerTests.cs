namespace EdgeEmotion.Sensors.Tests;

public sealed class PacerTests
{
    [Fact]
    public async Task A_timer_that_fires_early_does_not_hand_a_sample_out_early()
    {
        var clock = new EarlyTimerClock(early: TimeSpan.FromMilliseconds(2));
        var pacer = new Pacer(SourcePacing.RealTime, clock);
        pacer.Start(TimeSpan.Zero);
        var due = TimeSpan.FromMilliseconds(100.5);

        await pacer.WaitUntilAsync(due, CancellationToken.None);

        Assert.True(clock.Elapsed >= due, $"released at {clock.Elapsed.TotalMilliseconds} ms, due at {due.TotalMilliseconds} ms");
        Assert.Equal(2, clock.Timers);
    }

    [Fact]
    public async Task A_sample_already_due_is_not_held()
    {
        var clock = new EarlyTimerClock(early: TimeSpan.Zero);
        var pacer = new Pacer(SourcePacing.RealTime, clock);
        pacer.Start(TimeSpan.FromSeconds(5));

        await pacer.WaitUntilAsync(TimeSpan.FromSeconds(4), CancellationToken.None);

        Assert.Equal(0, clock.Timers);
    }

    [Fact]
    public async Task As_fast_as_possible_never_waits()
    {
        var clock = new EarlyTimerClock(early: TimeSpan.Zero);
        var pacer = new Pacer(SourcePacing.AsFastAsPossible, clock);
        pacer.Start(TimeSpan.Zero);

        await pacer.WaitUntilAsync(TimeSpan.FromHours(1), CancellationToken.None);

        Assert.Equal(0, clock.Timers);
    }

    /// <summary>
    /// A clock that jumps, as <see cref="Eda.VirtualTimeProvider"/>, but whose first timer fires
    /// <c>early</c> before its due time, as the system's coarse timer ticks can; later ones fire on time.
    /// </summary>
    private sealed class EarlyTimerClock(TimeSpan early) : TimeProvider
    {
        private long ticks;
        private int timers;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref ticks));

        public int Timers => Volatile.Read(ref timers);

        public override long GetTimestamp() => Interlocked.Read(ref ticks);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var first = Interlocked.Increment(ref timers) == 1;
            Interlocked.Add(ref ticks, Math.Max(0, (first ? dueTime - early : dueTime).Ticks));
            callback(state);
            return new SpentTimer();
        }

        private sealed class SpentTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => false;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
