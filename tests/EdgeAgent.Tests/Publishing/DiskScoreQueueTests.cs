using EdgeEmotion.EdgeAgent.Publishing;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing;

public sealed class DiskScoreQueueTests : IDisposable
{
    // Payloads of 100 bytes make records of 120: offsets are easy to reason about.
    private const int PayloadSize = 100;
    private const int RecordSize = 120;

    private readonly QueueFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_new_queue_is_empty_and_starts_at_sequence_1()
    {
        using var queue = folder.Open();

        Assert.Equal(1, queue.NextSequence);
        Assert.Equal(0, queue.Depth);
        Assert.Equal(0, queue.Dropped);
        Assert.Equal(0, queue.CorruptSkipped);
        Assert.Empty(queue.Peek(10));
    }

    [Fact]
    public void Messages_come_back_in_order_until_acknowledged()
    {
        using var queue = folder.Open();
        Payloads.AppendMany(queue, 5);

        var all = queue.Peek(10);
        Assert.Equal([1, 2, 3, 4, 5], Payloads.Sequences(all));
        Assert.Equal(Payloads.For(3), all[2].Payload.ToArray());
        Assert.Equal([1, 2], Payloads.Sequences(queue.Peek(2)));
        Assert.Equal(5, queue.Depth); // peek removes nothing

        queue.Acknowledge(2);
        Assert.Equal(3, queue.Depth);
        Assert.Equal([3, 4, 5], Payloads.Sequences(queue.Peek(10)));

        queue.Acknowledge(1); // behind the acknowledged point: nothing changes
        Assert.Equal(3, queue.Depth);

        queue.Acknowledge(5);
        Assert.Equal(0, queue.Depth);
        Assert.Empty(queue.Peek(10));
        Assert.Equal(6, queue.NextSequence);
    }

    [Fact]
    public void Peek_returns_copies()
    {
        using var queue = folder.Open();
        Payloads.AppendMany(queue, 1);

        var first = queue.Peek(1)[0].Payload;
        var second = queue.Peek(1)[0].Payload;

        Assert.False(first.Span.Overlaps(second.Span));
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void Next_sequence_and_messages_survive_reopening_without_acknowledgements()
    {
        using (var queue = folder.Open())
        {
            Payloads.AppendMany(queue, 7);
        }

        using var reopened = folder.Open();
        Assert.Equal(8, reopened.NextSequence);
        Assert.Equal(7, reopened.Depth);
        Assert.Equal(Payloads.For(7), reopened.Peek(10)[6].Payload.ToArray());
        Assert.Equal(0, reopened.CorruptSkipped);
    }

    [Fact]
    public void The_acknowledged_point_survives_reopening()
    {
        using (var queue = folder.Open())
        {
            Payloads.AppendMany(queue, 5);
            queue.Acknowledge(3);
        }

        using var reopened = folder.Open();
        Assert.Equal(6, reopened.NextSequence);
        Assert.Equal(2, reopened.Depth);
        Assert.Equal([4, 5], Payloads.Sequences(reopened.Peek(10)));
    }

    [Fact]
    public void Next_sequence_continues_after_everything_was_acknowledged_and_reclaimed()
    {
        var options = folder.Options(segmentBytes: 1024);
        using (var queue = folder.Open(options))
        {
            Payloads.AppendMany(queue, 30, PayloadSize);
            queue.Acknowledge(30);
            Assert.Single(folder.Segments()); // the newest stays: its name keeps the sequence
        }

        using (var reopened = folder.Open(options))
        {
            Assert.Equal(31, reopened.NextSequence);
            Assert.Equal(0, reopened.Depth);
            Payloads.AppendMany(reopened, 2);
        }

        using var again = folder.Open(options);
        Assert.Equal(33, again.NextSequence);
        Assert.Equal([31, 32], Payloads.Sequences(again.Peek(10)));
    }

    [Fact]
    public void Next_sequence_never_goes_back_even_without_the_acknowledgement_file()
    {
        var options = folder.Options(segmentBytes: 1024);
        using (var queue = folder.Open(options))
        {
            Payloads.AppendMany(queue, 30, PayloadSize);
            queue.Acknowledge(30);
        }

        File.Delete(Path.Combine(folder.Path, "ack"));

        using var reopened = folder.Open(options);
        Assert.Equal(31, reopened.NextSequence);
    }

    [Fact]
    public void A_damaged_acknowledgement_file_sends_everything_stored_again()
    {
        using (var queue = folder.Open())
        {
            Payloads.AppendMany(queue, 5);
            queue.Acknowledge(3);
        }

        File.WriteAllBytes(Path.Combine(folder.Path, "ack"), [1, 2, 3]);

        using var reopened = folder.Open();
        Assert.Equal(6, reopened.NextSequence);
        Assert.Equal([1, 2, 3, 4, 5], Payloads.Sequences(reopened.Peek(10)));
        Assert.Contains(folder.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("acknowledgement file damaged", StringComparison.Ordinal));
    }

    [Fact]
    public void A_torn_last_record_is_skipped_counted_and_cut_so_appends_continue()
    {
        using (var queue = folder.Open())
        {
            Payloads.AppendMany(queue, 5, PayloadSize);
        }

        var segment = Assert.Single(folder.Segments());
        using (var file = File.OpenWrite(segment))
        {
            file.SetLength(file.Length - 3);
        }

        using (var reopened = folder.Open())
        {
            Assert.Equal(1, reopened.CorruptSkipped);
            Assert.Equal(4, reopened.Depth);
            Assert.Equal(5, reopened.NextSequence);
            Assert.Equal(4 * RecordSize, new FileInfo(segment).Length);
            Payloads.AppendMany(reopened, 3, PayloadSize);
        }

        using var again = folder.Open();
        Assert.Equal(0, again.CorruptSkipped);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], Payloads.Sequences(again.Peek(10)));
        Assert.Equal(Payloads.For(5, PayloadSize), again.Peek(10)[4].Payload.ToArray());
    }

    [Fact]
    public void Garbage_after_the_last_record_is_skipped_counted_and_cut()
    {
        using (var queue = folder.Open())
        {
            Payloads.AppendMany(queue, 5);
        }

        var segment = Assert.Single(folder.Segments());
        var length = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write([0xDE, 0xAD, 0xBE, 0xEF, 0x51, 0xE1, 0xDC, 0xA7, 0x00]); // a magic among the garbage
        }

        using (var reopened = folder.Open())
        {
            Assert.Equal(1, reopened.CorruptSkipped);
            Assert.Equal(5, reopened.Depth);
            Assert.Equal(6, reopened.NextSequence);
            Assert.Equal(length, new FileInfo(segment).Length);
            Payloads.AppendMany(reopened, 1);
        }

        using var again = folder.Open();
        Assert.Equal(0, again.CorruptSkipped);
        Assert.Equal([1, 2, 3, 4, 5, 6], Payloads.Sequences(again.Peek(10)));
    }

    [Theory]
    [InlineData(0)] // magic
    [InlineData(5)] // length
    [InlineData(9)] // sequence
    [InlineData(17)] // CRC
    [InlineData(20)] // first payload byte
    [InlineData(RecordSize - 1)] // last payload byte
    public void A_flipped_byte_in_a_middle_record_loses_that_record_only(int offsetInRecord)
    {
        using (var queue = folder.Open())
        {
            Payloads.AppendMany(queue, 5, PayloadSize);
        }

        var segment = Assert.Single(folder.Segments());
        var bytes = File.ReadAllBytes(segment);
        bytes[(2 * RecordSize) + offsetInRecord] ^= 0x10; // record of sequence 3
        File.WriteAllBytes(segment, bytes);

        using var reopened = folder.Open();
        Assert.Equal(1, reopened.CorruptSkipped);
        Assert.Equal([1, 2, 4, 5], Payloads.Sequences(reopened.Peek(10)));
        Assert.Equal(Payloads.For(4, PayloadSize), reopened.Peek(10)[2].Payload.ToArray());
        Assert.Equal(6, reopened.NextSequence);
        Assert.Equal(5 * RecordSize, new FileInfo(segment).Length); // damage in the middle is not cut
        Assert.Contains(folder.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("damaged bytes at offset 240", StringComparison.Ordinal));
    }

    [Fact]
    public void Damage_in_an_older_segment_spares_the_others()
    {
        var options = folder.Options(segmentBytes: 1024);
        using (var queue = folder.Open(options))
        {
            Payloads.AppendMany(queue, 20, PayloadSize); // 8 records a segment
        }

        var segments = folder.Segments();
        Assert.Equal(3, segments.Length);
        var bytes = File.ReadAllBytes(segments[0]);
        Array.Clear(bytes, RecordSize, 2 * RecordSize); // sequences 2 and 3 zeroed
        File.WriteAllBytes(segments[0], bytes);

        using var reopened = folder.Open(options);
        Assert.Equal(1, reopened.CorruptSkipped);
        Assert.Equal(18, reopened.Depth);
        Assert.Equal([1, 4, 5], Payloads.Sequences(reopened.Peek(3)));
        Assert.Equal(21, reopened.NextSequence);
    }

    [Fact]
    public void Past_max_messages_the_oldest_are_dropped_and_counted()
    {
        using var queue = folder.Open(folder.Options(maxMessages: 10));
        Payloads.AppendMany(queue, 25);

        Assert.Equal(10, queue.Depth);
        Assert.Equal(15, queue.Dropped);
        Assert.Equal(Enumerable.Range(16, 10).Select(i => (long)i), Payloads.Sequences(queue.Peek(100)));
        Assert.Equal(26, queue.NextSequence);
    }

    [Fact]
    public void Past_max_bytes_the_oldest_are_dropped_and_counted()
    {
        using var queue = folder.Open(folder.Options(maxBytes: 10 * RecordSize, segmentBytes: 1024));
        Payloads.AppendMany(queue, 25, PayloadSize);

        Assert.Equal(10, queue.Depth);
        Assert.Equal(10 * RecordSize, queue.Bytes);
        Assert.Equal(15, queue.Dropped);
        Assert.Equal(Enumerable.Range(16, 10).Select(i => (long)i), Payloads.Sequences(queue.Peek(100)));
    }

    [Fact]
    public void Drops_stay_dropped_after_reopening_and_their_segments_are_deleted()
    {
        var options = folder.Options(maxMessages: 10, segmentBytes: 1024);
        using (var queue = folder.Open(options))
        {
            Payloads.AppendMany(queue, 25, PayloadSize); // segments of 8: 1-8, 9-16, 17-24, 25
            Assert.Equal(["00000000000000000009.seg", "00000000000000000017.seg", "00000000000000000025.seg"], folder.Segments().Select(Path.GetFileName));
        }

        using var reopened = folder.Open(options);
        Assert.Equal(0, reopened.Dropped); // counted by the process that dropped them
        Assert.Equal(Enumerable.Range(16, 10).Select(i => (long)i), Payloads.Sequences(reopened.Peek(100)));
    }

    [Fact]
    public void Smaller_limits_on_reopening_drop_the_oldest()
    {
        using (var queue = folder.Open())
        {
            Payloads.AppendMany(queue, 20);
        }

        using var reopened = folder.Open(folder.Options(maxMessages: 5));
        Assert.Equal(5, reopened.Depth);
        Assert.Equal(15, reopened.Dropped);
        Assert.Equal([16, 17, 18, 19, 20], Payloads.Sequences(reopened.Peek(10)));
    }

    [Fact]
    public void Drop_warnings_are_rate_limited_and_carry_the_count()
    {
        var time = new ManualTimeProvider();
        using var queue = folder.Open(folder.Options(maxMessages: 10), time);
        Payloads.AppendMany(queue, 15); // 5 dropped: the first drop is reported at once
        time.Advance(TimeSpan.FromSeconds(11));
        Payloads.AppendMany(queue, 7);

        var warnings = folder.Logger.Entries.Where(e => e.Message.StartsWith("Queue full", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("dropped the 1 oldest messages (up to sequence 1); 1 dropped since start", warnings[0], StringComparison.Ordinal);
        Assert.Contains("dropped the 5 oldest messages (up to sequence 6); 6 dropped since start", warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Acknowledged_segments_are_deleted_but_never_the_newest()
    {
        using var queue = folder.Open(folder.Options(segmentBytes: 1024));
        Payloads.AppendMany(queue, 30, PayloadSize); // segments of 8: 1-8, 9-16, 17-24, 25-30
        Assert.Equal(4, folder.Segments().Length);

        queue.Acknowledge(20);
        Assert.Equal(["00000000000000000017.seg", "00000000000000000025.seg"], folder.Segments().Select(Path.GetFileName));
        Assert.Equal(10, queue.Depth);

        queue.Acknowledge(30);
        Assert.Equal(["00000000000000000025.seg"], folder.Segments().Select(Path.GetFileName));
    }

    [Fact]
    public void Append_refuses_a_sequence_other_than_the_next()
    {
        using var queue = folder.Open();
        Payloads.AppendMany(queue, 2);

        var ahead = Assert.Throws<ArgumentException>(() => queue.Append(5, Payloads.For(5)));
        Assert.Contains("Sequence 5 is not the queue's next sequence 3", ahead.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => queue.Append(2, Payloads.For(2)));
        Assert.Equal(2, queue.Depth);
    }

    [Fact]
    public void Append_refuses_a_payload_larger_than_the_queue()
    {
        using var queue = folder.Open(folder.Options(maxBytes: 2048, segmentBytes: 1024));

        var e = Assert.Throws<ArgumentException>(() => queue.Append(1, new byte[2048]));
        Assert.Contains("Queue.MaxBytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, queue.NextSequence);
    }

    [Fact]
    public void A_message_larger_than_a_segment_gets_a_segment_of_its_own()
    {
        var options = folder.Options(segmentBytes: 1024);
        using (var queue = folder.Open(options))
        {
            Payloads.AppendMany(queue, 1);
            Payloads.AppendMany(queue, 1, 3000);
            Payloads.AppendMany(queue, 1);
            Assert.Equal(3, folder.Segments().Length);
        }

        using var reopened = folder.Open(options);
        Assert.Equal(3000, reopened.Peek(10)[1].Payload.Length);
    }

    [Fact]
    public void Acknowledging_a_sequence_never_appended_is_refused()
    {
        using var queue = folder.Open();
        Payloads.AppendMany(queue, 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Acknowledge(3));
    }

    [Fact]
    public async Task Waiting_completes_on_append_and_at_once_when_messages_are_there()
    {
        using var queue = folder.Open();
        var waiting = queue.WaitForMessagesAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        Payloads.AppendMany(queue, 1);
        await waiting;

        Assert.True(queue.WaitForMessagesAsync(CancellationToken.None).IsCompletedSuccessfully);
        queue.Acknowledge(1);
        Assert.False(queue.WaitForMessagesAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task Waiting_honours_cancellation()
    {
        using var queue = folder.Open();
        using var cancel = new CancellationTokenSource();
        var waiting = queue.WaitForMessagesAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Payloads.AppendMany(queue, 1); // a cancelled waiter leaves the queue working
        await queue.WaitForMessagesAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Disposing_ends_a_wait()
    {
        var queue = folder.Open();
        var waiting = queue.WaitForMessagesAsync(CancellationToken.None);

        queue.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        Assert.Throws<ObjectDisposedException>(() => queue.Append(1, Payloads.For(1)));
    }

    [Fact]
    public async Task A_consumer_on_another_thread_receives_every_message_in_order()
    {
        var options = folder.Options(durability: QueueDurability.Batched);
        options.FlushInterval = TimeSpan.FromMilliseconds(10);
        using var queue = folder.Open(options);
        const int count = 500;
        var received = new List<long>();
        var consumer = Task.Run(async () =>
        {
            while (received.Count < count)
            {
                await queue.WaitForMessagesAsync(CancellationToken.None);
                var batch = queue.Peek(64);
                received.AddRange(batch.Select(m => m.Sequence));
                queue.Acknowledge(batch[^1].Sequence);
            }
        });

        Payloads.AppendMany(queue, count);
        await consumer.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), received);
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task Batched_messages_are_handed_out_once_the_interval_has_fsynced_them()
    {
        var time = new ManualTimeProvider();
        var options = folder.Options(durability: QueueDurability.Batched);
        using var queue = folder.Open(options, time);
        var waiting = queue.WaitForMessagesAsync(CancellationToken.None);

        Payloads.AppendMany(queue, 3);
        Assert.Equal(3, queue.Depth);
        Assert.Empty(queue.Peek(10));
        Assert.False(waiting.IsCompleted);

        time.Advance(options.FlushInterval);
        await waiting;
        Assert.Equal([1, 2, 3], Payloads.Sequences(queue.Peek(10)));
    }

    [Fact]
    public void Batched_acknowledgements_are_written_by_the_interval_or_on_dispose()
    {
        var time = new ManualTimeProvider();
        var options = folder.Options(durability: QueueDurability.Batched);
        var ack = Path.Combine(folder.Path, "ack");
        using (var queue = folder.Open(options, time))
        {
            Payloads.AppendMany(queue, 5);
            time.Advance(options.FlushInterval);
            queue.Acknowledge(2);
            Assert.False(File.Exists(ack));
            time.Advance(options.FlushInterval);
            Assert.True(File.Exists(ack));
            queue.Acknowledge(4);
        }

        using var reopened = folder.Open(options, time);
        Assert.Equal([5], Payloads.Sequences(reopened.Peek(10)));
    }

    [Fact]
    public void Two_queues_cannot_share_a_directory()
    {
        using var queue = folder.Open();

        var e = Assert.Throws<QueueFolderException>(() => folder.Open());
        Assert.Equal($"queue folder '{folder.Path}' is in use by another edgeemo (pid {Environment.ProcessId})", e.Message);
    }

    [Fact]
    public void A_directory_that_cannot_be_created_is_named()
    {
        Directory.CreateDirectory(folder.Path);
        var file = Path.Combine(folder.Path, "not-a-directory");
        File.WriteAllText(file, "x");
        var options = folder.Options();
        options.Directory = Path.Combine(file, "queue");

        var e = Assert.Throws<QueueFolderException>(() => new DiskScoreQueue(options, folder.Logger));
        Assert.Contains($"Queue.Directory '{options.Directory}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_that_are_not_segments_are_left_alone()
    {
        Directory.CreateDirectory(folder.Path);
        var stranger = Path.Combine(folder.Path, "notes.seg");
        File.WriteAllText(stranger, "hello");

        using var queue = folder.Open();
        Payloads.AppendMany(queue, 1);

        Assert.True(File.Exists(stranger));
        Assert.Equal(0, queue.CorruptSkipped);
    }
}
