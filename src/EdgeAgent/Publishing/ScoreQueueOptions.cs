namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>The on-disk store-and-forward queue. Bound from the config file's <c>Queue</c> section.</summary>
public sealed class ScoreQueueOptions
{
    /// <summary>Smallest <see cref="MaxBytes"/> and <see cref="SegmentBytes"/>: a few score messages.</summary>
    public const long MinBytes = 1024;

    /// <summary>Longest <see cref="FlushInterval"/>: beyond it a power cut would lose too much.</summary>
    public static readonly TimeSpan MaxFlushInterval = TimeSpan.FromMinutes(1);

    /// <summary>Folder of the segment files and the acknowledgement file; the queue owns it.</summary>
    public string Directory { get; set; } = "/var/lib/edgeemo/queue";

    /// <summary>Unacknowledged messages kept; past it the oldest are dropped and counted.</summary>
    public int MaxMessages { get; set; } = 100_000;

    /// <summary>
    /// Record bytes (header and payload) of unacknowledged messages kept; past it the oldest are
    /// dropped. The folder holds at most about this plus one <see cref="SegmentBytes"/>.
    /// </summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Size at which a segment file is closed and a new one started; whole acknowledged segments are deleted.</summary>
    public long SegmentBytes { get; set; } = 4L * 1024 * 1024;

    public QueueDurability Durability { get; set; } = QueueDurability.EveryMessage;

    /// <summary>
    /// Longest time an appended message waits for its fsync with <see cref="QueueDurability.Batched"/>;
    /// also how long a deferred acknowledgement waits to be written, in either mode.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("Queue.Directory is empty");
        }

        if (MaxMessages < 1)
        {
            throw new ArgumentException($"Queue.MaxMessages must be >= 1, not {MaxMessages}");
        }

        if (MaxBytes < MinBytes)
        {
            throw new ArgumentException($"Queue.MaxBytes must be >= {MinBytes}, not {MaxBytes}");
        }

        if (SegmentBytes < MinBytes)
        {
            throw new ArgumentException($"Queue.SegmentBytes must be >= {MinBytes}, not {SegmentBytes}");
        }

        if (SegmentBytes > MaxBytes)
        {
            throw new ArgumentException($"Queue.SegmentBytes ({SegmentBytes}) must not exceed Queue.MaxBytes ({MaxBytes})");
        }

        if (!Enum.IsDefined(Durability))
        {
            throw new ArgumentException($"Queue.Durability must be EveryMessage or Batched, not {Durability}");
        }

        if (FlushInterval <= TimeSpan.Zero || FlushInterval > MaxFlushInterval)
        {
            throw new ArgumentException($"Queue.FlushInterval must be > 0 and <= {MaxFlushInterval}, not {FlushInterval}");
        }
    }
}
