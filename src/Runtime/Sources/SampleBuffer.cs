using System.Threading.Channels;

namespace EdgeEmotion.Runtime.Sources;

/// <summary>
/// A bounded per-modality queue between a source and the pipeline. When the pipeline falls
/// behind, the oldest samples go first (a live score is worth more than a late one) and every
/// drop is counted; dropped samples that own native memory are disposed.
/// </summary>
public sealed class SampleBuffer<T>
{
    private readonly Channel<T> channel;
    private long dropped;

    public SampleBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        channel = Channel.CreateBounded<T>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            item =>
            {
                Interlocked.Increment(ref dropped);
                (item as IDisposable)?.Dispose();
            });
    }

    public int Capacity { get; }

    /// <summary>Samples dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    public int Count => channel.Reader.Count;

    /// <summary>Adds a sample; never blocks (drops the oldest when full).</summary>
    public void Write(T item) => channel.Writer.TryWrite(item);

    /// <summary>No more samples will come; readers finish after draining.</summary>
    public void Complete(Exception? error = null) => channel.Writer.TryComplete(error);

    public bool TryRead(out T item) => channel.Reader.TryRead(out item!);

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => channel.Reader.WaitToReadAsync(cancellationToken);

    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken) => channel.Reader.ReadAllAsync(cancellationToken);
}
