using EdgeEmotion.EdgeAgent.Publishing;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing;

/// <summary>
/// Queue folders that hold something the queue did not write: a record claiming the largest
/// sequence, a symlinked segment, a lock file that is a directory. Each gets one line that says
/// what is wrong, and no record is lost.
/// </summary>
public sealed class DiskScoreQueueFolderTests : IDisposable
{
    private readonly QueueFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(QueueRecord.MaxSequence + 1)]
    public void A_record_with_an_impossible_sequence_is_skipped_with_a_warning_and_later_records_survive(long impossible)
    {
        using (var queue = folder.Open())
        {
            Payloads.AppendMany(queue, 3);
        }

        // A whole record (right magic and CRC) claiming the sequence, after the last good one.
        var record = new byte[QueueRecord.SizeOf(10)];
        QueueRecord.Write(record, impossible, Payloads.For(0, 10), new System.IO.Hashing.Crc32());
        using (var segment = File.Open(folder.Segments()[^1], FileMode.Append))
        {
            segment.Write(record);
        }

        using (var queue = folder.Open())
        {
            Assert.Equal(4, queue.NextSequence);
            Assert.Equal(1, queue.CorruptSkipped);
            Assert.Contains(Warnings(), w => w.Contains($"has sequence {impossible}, outside the queue's range", StringComparison.Ordinal));
            Payloads.AppendMany(queue, 2);
        }

        using var reopened = folder.Open();
        Assert.Equal([1, 2, 3, 4, 5], Payloads.Sequences(reopened.Peek(10)));
        Assert.Equal(6, reopened.NextSequence);
    }

    [Fact]
    public void A_segment_named_past_the_range_is_ignored_with_a_warning()
    {
        using (var queue = folder.Open())
        {
            Payloads.AppendMany(queue, 2);
        }

        var stray = Path.Combine(folder.Path, QueueSegment.FileNameOf(long.MaxValue));
        File.WriteAllBytes(stray, []);

        using var reopened = folder.Open();
        Assert.Equal(3, reopened.NextSequence);
        Assert.Contains(Warnings(), w => w.Contains(stray, StringComparison.Ordinal));
    }

    [Fact]
    public void An_acknowledgement_past_the_range_counts_as_damaged_and_nothing_is_lost()
    {
        using (var queue = folder.Open())
        {
            Payloads.AppendMany(queue, 2);
        }

        new AckFile(folder.Path, QueueFileSystem.Real).Write(long.MaxValue);

        using var reopened = folder.Open();
        Assert.Equal([1, 2], Payloads.Sequences(reopened.Peek(10)));
        Assert.Equal(3, reopened.NextSequence);
        Assert.Contains(Warnings(), w => w.Contains("acknowledgement file damaged", StringComparison.Ordinal));
    }

    [Fact]
    public void A_symlinked_segment_is_ignored_with_a_warning_and_nothing_is_appended_through_it()
    {
        using (var queue = folder.Open())
        {
            Payloads.AppendMany(queue, 2);
        }

        var link = Path.Combine(folder.Path, QueueSegment.FileNameOf(100));
        File.CreateSymbolicLink(link, "/dev/zero");

        using (var queue = folder.Open())
        {
            Assert.Equal(3, queue.NextSequence);
            Assert.Contains(Warnings(), w => w.Contains($"ignoring {link}, a symbolic link (to /dev/zero)", StringComparison.Ordinal));
            Payloads.AppendMany(queue, 2);
        }

        using var reopened = folder.Open();
        Assert.Equal([1, 2, 3, 4], Payloads.Sequences(reopened.Peek(10)));
        Assert.Equal("/dev/zero", new FileInfo(link).LinkTarget); // left alone
    }

    [Fact]
    public void A_lock_file_that_is_a_directory_is_named_in_one_line()
    {
        Directory.CreateDirectory(Path.Combine(folder.Path, QueueLock.FileName));

        var e = Assert.Throws<QueueFolderException>(() => folder.Open());

        Assert.Equal($"queue folder '{folder.Path}': queue.lock is a directory, not a lock file; remove it", e.Message);
    }

    [Fact]
    public void A_second_queue_is_refused_and_the_first_keeps_working()
    {
        using var first = folder.Open();
        Payloads.AppendMany(first, 1);

        Assert.Throws<QueueFolderException>(() => folder.Open());

        Payloads.AppendMany(first, 1);
        Assert.Equal([1, 2], Payloads.Sequences(first.Peek(10)));
    }

    private List<string> Warnings() =>
        [.. folder.Logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message)];
}
