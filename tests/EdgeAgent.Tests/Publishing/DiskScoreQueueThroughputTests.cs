using System.Diagnostics;
using EdgeEmotion.EdgeAgent.Publishing;
using Xunit.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing;

/// <summary>Prints append throughput per durability mode; a figure for docs/queue.md, never asserted.</summary>
public sealed class DiskScoreQueueThroughputTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(QueueDurability.EveryMessage, 300)]
    [InlineData(QueueDurability.Batched, 20_000)]
    public void Append_throughput_is_printed(QueueDurability durability, int count)
    {
        // The build folder, not /tmp: on many systems /tmp is tmpfs, where fsync costs nothing.
        using var folder = new QueueFolder(AppContext.BaseDirectory);
        using var queue = folder.Open(folder.Options(maxMessages: 100_000, maxBytes: 64L * 1024 * 1024, segmentBytes: 4L * 1024 * 1024, durability: durability));
        var payload = Payloads.For(0, 700); // about the size of a score message
        Payloads.AppendMany(queue, 10); // opens the segment

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            queue.Append(queue.NextSequence, payload);
        }

        clock.Stop();
        output.WriteLine($"{durability}: {count} appends of {payload.Length} bytes in {clock.Elapsed.TotalMilliseconds:F0} ms = {count / clock.Elapsed.TotalSeconds:F0} appends/s, {clock.Elapsed.TotalMilliseconds * 1000 / count:F1} us each");
        Assert.Equal(count + 10, queue.Depth);
    }

    [Theory]
    [InlineData(1, 500)]
    [InlineData(100, 5000)]
    public void Drain_throughput_is_printed(int acknowledgeEvery, int count)
    {
        using var folder = new QueueFolder(AppContext.BaseDirectory);
        using var queue = folder.Open(folder.Options(maxMessages: 100_000, maxBytes: 64L * 1024 * 1024, segmentBytes: 4L * 1024 * 1024, durability: QueueDurability.Batched));
        Payloads.AppendMany(queue, count, 700);
        queue.Dispose(); // flushes
        using var reopened = folder.Open(folder.Options(maxMessages: 100_000, maxBytes: 64L * 1024 * 1024, segmentBytes: 4L * 1024 * 1024));

        var clock = Stopwatch.StartNew();
        while (reopened.Depth > 0)
        {
            var batch = reopened.Peek(acknowledgeEvery);
            reopened.Acknowledge(batch[^1].Sequence);
        }

        clock.Stop();
        output.WriteLine($"Drain, EveryMessage, acknowledging every {acknowledgeEvery}: {count} messages in {clock.Elapsed.TotalMilliseconds:F0} ms = {count / clock.Elapsed.TotalSeconds:F0} messages/s");
        Assert.Equal(count + 1, reopened.NextSequence);
    }
}
