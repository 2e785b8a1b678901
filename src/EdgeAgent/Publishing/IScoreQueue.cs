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

    /// <summary>
    /// Messages dropped since this process started: the oldest, because the queue was full, and
    /// those the disk refused that were not delivered before memory ran out (<see cref="DroppedUnwritable"/>).
    /// </summary>
    long Dropped { get; }

    /// <summary>Messages held in memory only, because the disk refused them (0 for a queue without a disk).</summary>
    long Unwritten => 0;

    /// <summary>The part of <see cref="Dropped"/> the disk refused and that was not delivered in time.</summary>
    long DroppedUnwritable => 0;

    /// <summary>Why the disk refuses writes now; null while it takes them.</summary>
    string? WriteError => null;

    /// <summary>Corrupt records skipped when the queue was opened.</summary>
    long CorruptSkipped { get; }

    /// <summary>
    /// Stores a message durably (or, while the disk refuses writes, in memory: see
    /// <see cref="Unwritten"/>). <paramref name="sequence"/> must equal <see cref="NextSequence"/>.
    /// </summary>
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
