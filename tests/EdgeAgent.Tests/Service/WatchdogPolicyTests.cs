using EdgeEmotion.EdgeAgent.Service;

namespace EdgeEmotion.EdgeAgent.Tests.Service;

public sealed class WatchdogPolicyTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void The_period_comes_from_WATCHDOG_USEC()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), WatchdogPolicy.PeriodFromEnvironment(Env(("WATCHDOG_USEC", "30000000")), 42));
        Assert.Equal(TimeSpan.FromSeconds(30), WatchdogPolicy.PeriodFromEnvironment(Env(("WATCHDOG_USEC", "30000000"), ("WATCHDOG_PID", "42")), 42));
    }

    [Fact]
    public void The_watchdog_is_off_without_WATCHDOG_USEC_or_for_another_process()
    {
        Assert.Null(WatchdogPolicy.PeriodFromEnvironment(Env(), 42));
        Assert.Null(WatchdogPolicy.PeriodFromEnvironment(Env(("WATCHDOG_USEC", "30000000"), ("WATCHDOG_PID", "7")), 42));
        Assert.Null(WatchdogPolicy.PeriodFromEnvironment(Env(("WATCHDOG_USEC", "soon")), 42));
    }

    [Fact]
    public void Pings_go_out_at_half_the_period_and_only_while_the_pipeline_progresses()
    {
        var policy = new WatchdogPolicy(TimeSpan.FromSeconds(30), stallAfter: TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromSeconds(15), policy.PingInterval);
        Assert.True(policy.ShouldPing(TimeSpan.FromMilliseconds(50)));
        Assert.False(policy.ShouldPing(TimeSpan.FromSeconds(11)));
    }
}
