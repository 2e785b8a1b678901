using EdgeEmotion.EdgeAgent.Publishing;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing;

/// <summary>
/// The queue on a disk that fills up (<see cref="SmallDisk"/>, an injected ENOSPC): it never
/// throws, hands out what it holds in memory, drops and counts past its bound, logs once per
/// episode, and goes back to disk by itself when space returns.
/// </summary>
public sealed class DiskScoreQueueDiskFullTests : IDisposable
{
    private readonly QueueFolder folder = new();
    private readonly SmallDisk disk;

    public DiskScoreQueueDiskFullTests()
    {
        disk = new SmallDisk(folder.Path);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_full_disk_never_fails_an_append_and_the_messages_are_still_handed_out()
    {
        using var queue = Open();
        Payloads.AppendMany(queue, 2);
        disk.Fill();

        Payloads.AppendMany(queue, 3, size: 200);

        Assert.True(disk.FailedWrites > 0);
        Assert.Equal(5, queue.Depth);
        Assert.Equal(3, queue.Unwritten);
        Assert.Equal(SmallDisk.NoSpace, queue.WriteError);
        Assert.Equal([1, 2, 3, 4, 5], Payloads.Sequences(queue.Peek(10)));
        Assert.Equal(Payloads.For(4, 200), queue.Peek(10)[3].Payload.ToArray());
        Assert.Equal(6, queue.NextSequence);
    }

    [Fact]
    public void One_warning_per_episode_not_one_per_message()
    {
        using var queue = Open();
        disk.Fill();
        Payloads.AppendMany(queue, 20, size: 200);
        disk.Capacity = null;
        Payloads.AppendMany(queue, 1);
        disk.Fill();
        Payloads.AppendMany(queue, 20, size: 200);

        Assert.Equal(2, Lines(LogLevel.Warning, "cannot be written: No space left on device").Count);
        Assert.Single(Lines(LogLevel.Information, "writable again"));
    }

    [Fact]
    public void When_space_returns_the_held_messages_are_written_first_in_order_and_survive_a_restart()
    {
        using (var queue = Open())
        {
            Payloads.AppendMany(queue, 2);
            disk.Fill();
            Payloads.AppendMany(queue, 3, size: 200);
            disk.Capacity = null;

            Payloads.AppendMany(queue, 1);

            Assert.Equal(0, queue.Unwritten);
            Assert.Null(queue.WriteError);
            Assert.Contains(Lines(LogLevel.Information, "writable again"), l => l.Contains("3 messages held in memory written to disk, 0 dropped", StringComparison.Ordinal));
        }

        using var reopened = Open();
        Assert.Equal([1, 2, 3, 4, 5, 6], Payloads.Sequences(reopened.Peek(10)));
        Assert.Equal(Payloads.For(3, 200), reopened.Peek(10)[2].Payload.ToArray());
        Assert.Equal(0, reopened.CorruptSkipped); // the torn writes were cut back
    }

    [Fact]
    public void The_flush_interval_retries_the_disk_without_new_appends()
    {
        var time = new ManualTimeProvider();
        using var queue = Open(time);
        disk.Fill();
        Payloads.AppendMany(queue, 2, size: 200);
        disk.Capacity = null;

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, queue.Unwritten);
        Assert.Null(queue.WriteError);
        Assert.Equal(2, queue.Depth);
    }

    [Fact]
    public void Past_the_memory_bound_the_oldest_held_messages_are_dropped_and_counted()
    {
        using var queue = Open(options: folder.Options(maxMessages: 5000, maxBytes: 4 * 1024 * 1024));
        disk.Fill();

        Payloads.AppendMany(queue, DiskScoreQueue.MaxUnwrittenMessages + 5);

        Assert.Equal(5, queue.DroppedUnwritable);
        Assert.Equal(5, queue.Dropped);
        Assert.Equal(DiskScoreQueue.MaxUnwrittenMessages, queue.Unwritten);
        Assert.Equal(6, queue.Peek(1)[0].Sequence);
        Assert.Single(Lines(LogLevel.Warning, "cannot be written"));
    }

    [Fact]
    public void Held_messages_that_are_delivered_are_never_written()
    {
        using (var queue = Open())
        {
            disk.Fill();
            Payloads.AppendMany(queue, 3, size: 200);
            queue.Acknowledge(3);
            Assert.Equal(0, queue.Depth);
            Assert.Empty(queue.Peek(10));
            disk.Capacity = null;
            Payloads.AppendMany(queue, 1);
        }

        using var reopened = Open();
        Assert.Equal([4], Payloads.Sequences(reopened.Peek(10)));
    }

    [Fact]
    public void An_acknowledgement_that_cannot_be_written_is_kept_and_written_later_without_resending()
    {
        var time = new ManualTimeProvider();
        using var queue = Open(time);
        Payloads.AppendMany(queue, 3);
        disk.Fill();

        queue.Acknowledge(3); // writes ack.tmp: refused

        Assert.Empty(queue.Peek(10));
        Assert.Equal(SmallDisk.NoSpace, queue.WriteError);
        Assert.NotEqual(3, StoredAcknowledgement());

        disk.Capacity = null;
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(3, StoredAcknowledgement());
        Assert.Null(queue.WriteError);
    }

    [Fact]
    public void On_a_full_disk_the_acknowledgement_file_is_overwritten_in_place_so_no_seq_is_reused()
    {
        using (var queue = Open())
        {
            Payloads.AppendMany(queue, 2);
            queue.Acknowledge(1);
            disk.Fill();
            Payloads.AppendMany(queue, 3, size: 200); // held in memory

            queue.Acknowledge(5); // delivered straight from memory

            Assert.Equal(5, StoredAcknowledgement());
        }

        // As after a crash in the episode: the next seq comes after every delivered one.
        disk.Capacity = null;
        using var reopened = Open();
        Assert.Equal(6, reopened.NextSequence);
        Assert.Empty(reopened.Peek(10));
    }

    [Fact]
    public void A_disk_filled_by_the_newest_segment_alone_is_freed_once_its_records_are_delivered()
    {
        // The newest segment is never deleted; full of delivered records it would hold the disk forever.
        disk.Capacity = 2048;
        using var queue = Open();
        Payloads.AppendMany(queue, 12, size: 200);
        Assert.True(queue.Unwritten > 0);
        queue.Acknowledge(queue.NextSequence - 1);

        Payloads.AppendMany(queue, 1, size: 200);

        Assert.Equal(0, queue.Unwritten);
        Assert.Null(queue.WriteError);
        Assert.Single(folder.Segments());
        Assert.True(disk.Used() < 1024);
    }

    [Fact]
    public void Held_messages_still_refused_on_stopping_are_counted_as_dropped()
    {
        var queue = Open();
        disk.Fill();
        Payloads.AppendMany(queue, 4, size: 200);

        queue.Dispose();

        Assert.Equal(4, queue.DroppedUnwritable);
        Assert.Single(Lines(LogLevel.Warning, "4 messages from sequence 1 were held in memory only"));
    }

    [Fact]
    public async Task A_consumer_waiting_for_messages_is_woken_by_one_held_in_memory()
    {
        using var queue = Open();
        disk.Fill();
        var waiting = queue.WaitForMessagesAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        Payloads.AppendMany(queue, 1, size: 200);

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private DiskScoreQueue Open(TimeProvider? time = null, ScoreQueueOptions? options = null) =>
        new(options ?? folder.Options(), folder.Logger, time, disk);

    private long? StoredAcknowledgement() => new AckFile(folder.Path, QueueFileSystem.Real).Read();

    private List<string> Lines(LogLevel level, string text) =>
        [.. folder.Logger.Entries.Where(e => e.Level == level && e.Message.Contains(text, StringComparison.Ordinal)).Select(e => e.Message)];
}
