using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Runtime.Tests.Sources;

public sealed class AudioBlockPoolTests
{
    [Fact]
    public void A_disposed_block_lends_its_array_to_the_next_one()
    {
        var pool = new AudioBlockPool(320);
        var first = pool.Rent(TimeSpan.Zero, 16_000, 320);
        var samples = first.Samples;
        Assert.True(first.IsPooled);
        Assert.Equal(320, samples.Length);

        first.Dispose();
        Assert.Equal(1, pool.Available);
        var second = pool.Rent(TimeSpan.FromMilliseconds(20), 16_000, 320);

        Assert.Same(samples, second.Samples);
        Assert.Equal(0, pool.Available);
    }

    [Fact]
    public void A_with_copy_and_a_second_dispose_return_the_array_only_once()
    {
        var pool = new AudioBlockPool(320);
        var block = pool.Rent(TimeSpan.Zero, 16_000, 320);
        var shifted = block with { Timestamp = TimeSpan.FromSeconds(1) };

        shifted.Dispose();
        block.Dispose();
        shifted.Dispose();
        Assert.Equal(1, pool.Available);

        // Out again: a stale copy must not hand it back while the new block still uses it.
        var next = pool.Rent(TimeSpan.Zero, 16_000, 320);
        block.Dispose();
        Assert.Equal(0, pool.Available);
        Assert.Same(block.Samples, next.Samples);
        next.Dispose();
        Assert.Equal(1, pool.Available);
    }

    [Fact]
    public void Other_lengths_are_plain_arrays_that_never_enter_the_pool()
    {
        var pool = new AudioBlockPool(320);
        var edge = pool.Rent(TimeSpan.Zero, 16_000, 100);

        Assert.False(edge.IsPooled);
        Assert.Equal(100, edge.Samples.Length);
        edge.Dispose();
        Assert.Equal(0, pool.Available);
    }

    [Fact]
    public void The_pool_keeps_at_most_its_limit()
    {
        var pool = new AudioBlockPool(4, maxKept: 2);
        var blocks = Enumerable.Range(0, 5).Select(i => pool.Rent(TimeSpan.FromTicks(i), 8000, 4)).ToList();

        blocks.ForEach(b => b.Dispose());

        Assert.Equal(2, pool.Available);
    }

    [Fact]
    public void A_block_made_without_a_pool_ignores_dispose()
    {
        var samples = new float[] { 0.5f, -0.5f };
        var block = new AudioBlock(TimeSpan.Zero, 8000, samples);

        block.Dispose();

        Assert.False(block.IsPooled);
        Assert.Equal([0.5f, -0.5f], block.Samples);
    }

    [Fact]
    public void Bad_sizes_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioBlockPool(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioBlockPool(320, maxKept: 0));
    }
}
