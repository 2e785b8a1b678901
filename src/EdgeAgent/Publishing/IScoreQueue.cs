namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// The durable FIFO between the pipeline and the broker: every score message is appended here
/// first; the publisher sends from the head and acknowledges what the broker has taken.
/// </summary>
public interface IScoreQueue
{
    /// <summary>The sequence number the next appended message must carry; monotonic across restarts.</summary>
    long NextSequence { get; }

    /// <summary>Messages stored and not yet acknowledged.</summary>
    long Depth { get; }

    /// <summary>Messages dropped (oldest first) because the queue was full, since this process started.</summary>
    long Dropped { get; }

    /// <summary>Corrupt records skipped when the queue was opened.</summary>
    long CorruptSkipped { get; }

    /// <summary>Stores a message durably. <paramref name="sequence"/> must equal <see cref="NextSequence"/>.</summary>
    void Append(long sequence, ReadOnlySpan<byte> payload);

    /// <summary>Up to <paramref name="max"/> of the oldest unacknowledged messages, oldest first; nothing is removed.</summary>
    IReadOnlyList<QueuedMessage> Peek(int max);

    /// <summary>Every message up to and including <paramref name="sequence"/> has been delivered.</summary>
    void Acknowledge(long sequence);

    /// <summary>Completes when the queue holds a message (at once if it already does).</summary>
    Task WaitForMessagesAsync(CancellationToken cancellationToken);
}

/// <summary>One stored message.</summary>
public readonly record struct QueuedMessage(long Sequence, ReadOnlyMemory<byte> Payload);
