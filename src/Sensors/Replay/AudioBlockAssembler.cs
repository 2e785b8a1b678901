using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Sensors.Replay;

/// <summary>
/// Cuts a stream of samples written in arbitrary amounts into <see cref="AudioBlock"/>s of a
/// fixed size, timestamped start + (index of the block's first sample) / sampleRate.
/// </summary>
internal sealed class AudioBlockAssembler
{
    private readonly int blockSamples;
    private readonly int sampleRate;
    private readonly TimeSpan start;
    private float[] pending;
    private int taken;    // samples at the front already handed out
    private int count;    // samples in pending, taken ones included
    private long emitted; // samples handed out since the start

    public AudioBlockAssembler(int blockSamples, int sampleRate, TimeSpan start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSamples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        this.blockSamples = blockSamples;
        this.sampleRate = sampleRate;
        this.start = start;
        pending = new float[2 * blockSamples];
    }

    /// <summary>Space for up to <paramref name="length"/> new samples; <see cref="Commit"/> says how many were written.</summary>
    public Span<float> Reserve(int length)
    {
        pending.AsSpan(taken, count - taken).CopyTo(pending);
        count -= taken;
        taken = 0;
        if (pending.Length < count + length)
        {
            Array.Resize(ref pending, Math.Max(count + length, 2 * pending.Length));
        }

        return pending.AsSpan(count, length);
    }

    public void Commit(int written)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count + written, pending.Length, nameof(written));
        count += written;
    }

    /// <summary>The next full block; with <paramref name="final"/>, also a last shorter one.</summary>
    public bool TryTake(bool final, out AudioBlock block)
    {
        var available = count - taken;
        if (available >= blockSamples || (final && available > 0))
        {
            var length = Math.Min(blockSamples, available);
            var timestamp = start + TimeSpan.FromTicks(emitted * TimeSpan.TicksPerSecond / sampleRate);
            block = new AudioBlock(timestamp, sampleRate, pending.AsSpan(taken, length).ToArray());
            taken += length;
            emitted += length;
            return true;
        }

        block = null!;
        return false;
    }
}
