using EdgeEmotion.EdgeAgent.Publishing;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing;

/// <summary>
/// An in-memory <see cref="IScoreQueue"/> with the durable queue's semantics (bounded, drop
/// oldest and count, acknowledge up to a sequence) so the publisher's tests need no disk.
/// </summary>
internal sealed class MemoryScoreQueue : IScoreQueue
{
    private readonly Lock gate = new();
    private readonly Queue<QueuedMessage> messages = new();
    private readonly int capacity;
    private TaskCompletionSource nonEmpty = NewSignal();
    private long nextSequence;
    private long dropped;

    public MemoryScoreQueue(int capacity = 100_000, long firstSequence = 0)
    {
        this.capacity = capacity;
        nextSequence = firstSequence;
    }

    public long NextSequence
    {
        get
        {
            lock (gate)
            {
                return nextSequence;
            }
        }
    }

    public long Depth
    {
        get
        {
            lock (gate)
            {
                return messages.Count;
            }
        }
    }

    public long Dropped
    {
        get
        {
            lock (gate)
            {
                return dropped;
            }
        }
    }

    public long CorruptSkipped => 0;

    public void Append(long sequence, ReadOnlySpan<byte> payload)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            if (sequence != nextSequence)
            {
                throw new ArgumentException($"Sequence {sequence} appended where {nextSequence} was due", nameof(sequence));
            }

            if (messages.Count == capacity)
            {
                messages.Dequeue();
                dropped++;
            }

            messages.Enqueue(new QueuedMessage(sequence, payload.ToArray()));
            nextSequence++;
            signal = nonEmpty;
        }

        signal.TrySetResult();
    }

    public IReadOnlyList<QueuedMessage> Peek(int max)
    {
        lock (gate)
        {
            return messages.Take(max).ToList();
        }
    }

    public void Acknowledge(long sequence)
    {
        lock (gate)
        {
            while (messages.Count > 0 && messages.Peek().Sequence <= sequence)
            {
                messages.Dequeue();
            }

            if (messages.Count == 0 && nonEmpty.Task.IsCompleted)
            {
                nonEmpty = NewSignal();
            }
        }
    }

    public Task WaitForMessagesAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return messages.Count > 0 ? Task.CompletedTask : nonEmpty.Task.WaitAsync(cancellationToken);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
