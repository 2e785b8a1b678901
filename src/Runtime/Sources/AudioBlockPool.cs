namespace EdgeEmotion.Runtime.Sources;

/// <summary>
/// Sample arrays of one block length, lent to the <see cref="AudioBlock"/>s a source hands out and
/// taken back when the consumer disposes them (the pipeline does once it has copied the samples):
/// a microphone delivering 50 blocks a second then allocates no sample arrays in steady state.
/// Thread-safe: a capture thread rents while the scoring loop returns. Blocks never disposed are
/// simply collected; the pool keeps at most <see cref="MaxKept"/> free arrays.
/// </summary>
public sealed class AudioBlockPool
{
    private readonly Lock gate = new();
    private readonly Stack<Lease> free = new();

    public AudioBlockPool(int blockSamples, int maxKept = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSamples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKept, 1);
        BlockSamples = blockSamples;
        MaxKept = maxKept;
    }

    /// <summary>The one length the pool keeps; other lengths are allocated as before.</summary>
    public int BlockSamples { get; }

    public int MaxKept { get; }

    /// <summary>Free arrays waiting to be lent.</summary>
    public int Available
    {
        get
        {
            lock (gate)
            {
                return free.Count;
            }
        }
    }

    /// <summary>
    /// A block of <paramref name="length"/> samples for the source to fill: pooled when the length is
    /// <see cref="BlockSamples"/>. Its samples hold whatever the array held last: write every one.
    /// </summary>
    public AudioBlock Rent(TimeSpan timestamp, int sampleRate, int length)
    {
        if (length != BlockSamples)
        {
            return new AudioBlock(timestamp, sampleRate, new float[length]);
        }

        Lease? lease;
        lock (gate)
        {
            free.TryPop(out lease);
        }

        lease ??= new Lease(this, new float[length]);
        return new AudioBlock(timestamp, sampleRate, lease.Samples, lease, lease.Lend());
    }

    private void Return(Lease lease)
    {
        lock (gate)
        {
            if (free.Count < MaxKept)
            {
                free.Push(lease);
            }
        }
    }

    /// <summary>
    /// One pooled array and the number of times it has been lent: a block returns it only while the
    /// number is still the one it was lent with, so a stale copy of a block (a <c>with</c> copy, a
    /// second Dispose) can never hand back an array that is out again.
    /// </summary>
    internal sealed class Lease(AudioBlockPool pool, float[] samples)
    {
        private long generation;

        public float[] Samples { get; } = samples;

        public long Lend() => Interlocked.Increment(ref generation);

        public void Return(long lent)
        {
            if (Interlocked.CompareExchange(ref generation, lent + 1, lent) == lent)
            {
                pool.Return(this);
            }
        }
    }
}
