namespace EdgeEmotion.Sensors.Tests;

public sealed class PacerTests
{
    [Fact]
    public async Task A_timer_that_fires_early_does_not_hand_a_sample_out_early()
    {
        var clock = new VirtualTimeProvider(firstTimerEarly: TimeSpan.FromMilliseconds(2));
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
        var clock = new VirtualTimeProvider();
        var pacer = new Pacer(SourcePacing.RealTime, clock);
        pacer.Start(TimeSpan.FromSeconds(5));

        await pacer.WaitUntilAsync(TimeSpan.FromSeconds(4), CancellationToken.None);

        Assert.Equal(0, clock.Timers);
    }

    [Fact]
    public async Task As_fast_as_possible_never_waits()
    {
        var clock = new VirtualTimeProvider();
        var pacer = new Pacer(SourcePacing.AsFastAsPossible, clock);
        pacer.Start(TimeSpan.Zero);

        await pacer.WaitUntilAsync(TimeSpan.FromHours(1), CancellationToken.None);

        Assert.Equal(0, clock.Timers);
    }

    [Fact]
    public async Task A_time_jump_of_years_is_waited_for_not_refused()
    {
        // Timers take at most about 49 days; a file whose time leaps 10^9 s ahead must still just wait.
        var clock = new VirtualTimeProvider();
        var pacer = new Pacer(SourcePacing.RealTime, clock);
        pacer.Start(TimeSpan.Zero);
        var due = TimeSpan.FromSeconds(1e9);

        await pacer.WaitUntilAsync(due, CancellationToken.None);

        Assert.True(clock.Elapsed >= due);
    }
}
