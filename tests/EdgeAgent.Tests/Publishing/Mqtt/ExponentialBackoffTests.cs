using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.EdgeAgent.Publishing;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

public sealed class ExponentialBackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_ceiling_doubles_from_the_minimum_up_to_the_maximum()
    {
        var backoff = new ExponentialBackoff(Min, Max, new Random(1));
        var ceilings = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            ceilings.Add(backoff.Ceiling.TotalSeconds);
            backoff.Next();
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], ceilings);
    }

    [Fact]
    public void Delays_are_spread_over_the_whole_range_between_the_minimum_and_the_ceiling()
    {
        // Full jitter: after many failures the delays cover [min, max], not a narrow band near max.
        var backoff = new ExponentialBackoff(Min, Max, new Random(7));
        for (var i = 0; i < 10; i++)
        {
            backoff.Next();
        }

        var delays = Enumerable.Range(0, 2000).Select(_ => backoff.Next().TotalSeconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, 1, 60));
        Assert.Contains(delays, d => d < 5);
        Assert.Contains(delays, d => d > 55);
        Assert.InRange(delays.Average(), 27, 34);
    }

    [Fact]
    public void Reset_starts_again_from_the_minimum()
    {
        var backoff = new ExponentialBackoff(Min, Max, new Random(3));
        for (var i = 0; i < 5; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.Equal(0, backoff.Attempt);
        Assert.Equal(Min, backoff.Ceiling);
        Assert.Equal(Min, backoff.Next());
    }

    [Fact]
    public void A_huge_number_of_failures_does_not_overflow()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1), new Random(5));
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(backoff.Next(), TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
        }
    }

    [Fact]
    public void Without_jitter_the_delay_doubles_to_the_cap_and_resets()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40));

        var delays = Enumerable.Range(0, 5).Select(_ => backoff.Next().TotalMilliseconds).ToList();
        backoff.Reset();

        Assert.Equal([10.0, 20, 40, 40, 40], delays);
        Assert.Equal(10, backoff.Next().TotalMilliseconds);
    }
}
