using EdgeEmotion.EdgeAgent.Publishing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing;

public sealed class ScoreQueueOptionsTests
{
    public static TheoryData<string, Action<ScoreQueueOptions>> BadOptions => new()
    {
        { "Queue.Directory is empty", o => o.Directory = " " },
        { "Queue.MaxMessages must be >= 1, not 0", o => o.MaxMessages = 0 },
        { "Queue.MaxMessages must be >= 1, not -5", o => o.MaxMessages = -5 },
        { "Queue.MaxBytes must be >= 1024, not 100", o => o.MaxBytes = 100 },
        { "Queue.SegmentBytes must be >= 1024, not 0", o => o.SegmentBytes = 0 },
        { "Queue.SegmentBytes (8388608) must not exceed Queue.MaxBytes (4194304)", o => (o.SegmentBytes, o.MaxBytes) = (8L << 20, 4L << 20) },
        { "Queue.Durability must be EveryMessage or Batched, not 7", o => o.Durability = (QueueDurability)7 },
        { "Queue.FlushInterval must be > 0 and <= 00:01:00, not 00:00:00", o => o.FlushInterval = TimeSpan.Zero },
        { "Queue.FlushInterval must be > 0 and <= 00:01:00, not -00:00:01", o => o.FlushInterval = TimeSpan.FromSeconds(-1) },
        { "Queue.FlushInterval must be > 0 and <= 00:01:00, not 01:00:00", o => o.FlushInterval = TimeSpan.FromHours(1) },
    };

    [Fact]
    public void The_defaults_are_valid_and_documented()
    {
        var options = new ScoreQueueOptions();

        options.Validate();
        Assert.Equal("/var/lib/edgeemo/queue", options.Directory);
        Assert.Equal(100_000, options.MaxMessages);
        Assert.Equal(64L * 1024 * 1024, options.MaxBytes);
        Assert.Equal(4L * 1024 * 1024, options.SegmentBytes);
        Assert.Equal(QueueDurability.EveryMessage, options.Durability);
        Assert.Equal(TimeSpan.FromSeconds(1), options.FlushInterval);
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void A_bad_option_is_named(string message, Action<ScoreQueueOptions> spoil)
    {
        var options = new ScoreQueueOptions();
        spoil(options);

        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void The_queue_validates_its_options_before_touching_the_disk()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"edgeemo-queue-{Guid.NewGuid():N}");
        var options = new ScoreQueueOptions { Directory = directory, MaxMessages = 0 };

        var e = Assert.Throws<ArgumentException>(() => new DiskScoreQueue(options, NullLogger<DiskScoreQueue>.Instance));
        Assert.Contains("Queue.MaxMessages", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
    }
}
