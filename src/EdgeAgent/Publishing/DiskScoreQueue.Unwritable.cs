using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>What the queue does while its disk refuses writes (full, read-only, failing).</summary>
public sealed partial class DiskScoreQueue
{
    /// <summary>
    /// Messages held in memory while the disk refuses them: about 17 minutes of scores at one a
    /// second, a few MB. Past it the oldest held message is dropped and counted.
    /// </summary>
    internal const int MaxUnwrittenMessages = 1000;

    /// <summary>Record bytes held in memory at most (a second bound, for large payloads).</summary>
    internal const long MaxUnwrittenBytes = 8L * 1024 * 1024;

    private long unwrittenBytes;
    private long droppedUnwritable;
    private bool ackWriteFailed;
    private WriteTrouble? trouble; // the current episode of refused writes; null while the disk takes them

    /// <summary>Messages held in memory only, because the disk refused them.</summary>
    public long Unwritten
    {
        get
        {
            lock (gate)
            {
                return unwritten.Count;
            }
        }
    }

    /// <summary>Messages lost because the disk refused them and they were not delivered in time (also counted in <see cref="Dropped"/>).</summary>
    public long DroppedUnwritable
    {
        get
        {
            lock (gate)
            {
                return droppedUnwritable;
            }
        }
    }

    /// <summary>Why the disk refuses writes now (the system's words, e.g. "No space left on device"); null while it takes them.</summary>
    public string? WriteError
    {
        get
        {
            lock (gate)
            {
                return trouble?.Reason;
            }
        }
    }

    /// <summary>Keeps a record the disk refused, dropping the oldest held one past the bounds; the flush interval retries the disk.</summary>
    private void HoldInMemory(long sequence, byte[] record)
    {
        while (unwritten.Count > 0 && (unwritten.Count + 1 > MaxUnwrittenMessages || unwrittenBytes + record.Length > MaxUnwrittenBytes))
        {
            var oldest = unwritten.Dequeue();
            unwrittenBytes -= oldest.Record.Length;
            unacknowledgedBytes -= oldest.Record.Length;
            dropped++;
            droppedUnwritable++;
        }

        unwritten.Enqueue(new UnwrittenRecord(sequence, record));
        unwrittenBytes += record.Length;
        ScheduleFlush();
        WakeWaiter();
    }

    /// <summary>Writes the held records to disk, oldest first; false when the disk still refuses one.</summary>
    private bool TryWriteUnwritten()
    {
        while (unwritten.Count > 0)
        {
            var held = unwritten.Peek();
            if (!TryStore(held.Sequence, held.Record))
            {
                return false;
            }

            unwritten.Dequeue();
            unwrittenBytes -= held.Record.Length;
            if (trouble is not null)
            {
                trouble.Written++;
            }
        }

        return true;
    }

    /// <summary>The acknowledged point, written now if it can be; otherwise kept in memory and retried by the flush interval.</summary>
    private void TryPersistAcknowledged()
    {
        try
        {
            PersistAcknowledged();
            ackWriteFailed = false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Delivered is delivered: the publisher goes on from the in-memory point, no resend.
            ackWriteFailed = true;
            NoteWriteFailure(e);
            ScheduleFlush();
        }
    }

    /// <summary>One warning per episode, however many writes fail in it.</summary>
    private void NoteWriteFailure(Exception e)
    {
        if (trouble is null)
        {
            trouble = new WriteTrouble(time.GetTimestamp(), e.Message, droppedUnwritable);
            LogUnwritable(directory, e.Message, MaxUnwrittenMessages);
        }
    }

    private void EndTroubleIfClear()
    {
        if (trouble is { } ended && unwritten.Count == 0 && !ackWriteFailed)
        {
            trouble = null;
            var seconds = time.GetElapsedTime(ended.Since).TotalSeconds;
            LogWritableAgain(directory, seconds, ended.Written, droppedUnwritable - ended.DroppedBefore);
        }
    }

    /// <summary>On dispose: held records the disk still refuses are lost with the process.</summary>
    private void LoseUnwritten()
    {
        if (unwritten.Count == 0)
        {
            return;
        }

        var lost = unwritten.Count;
        var first = unwritten.Peek().Sequence;
        var reason = trouble?.Reason ?? "unknown";
        dropped += lost;
        droppedUnwritable += lost;
        LogUnwrittenLost(directory, lost, first, reason);
        unacknowledgedBytes -= unwrittenBytes;
        unwrittenBytes = 0;
        unwritten.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Directory} cannot be written: {Reason}. Scores are still published while the broker is connected; up to {Limit} are held in memory, older ones are dropped and counted, until the disk takes writes again")]
    private partial void LogUnwritable(string directory, string reason, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Directory} writable again after {Seconds:F0} s: {Written} messages held in memory written to disk, {Dropped} dropped meanwhile")]
    private partial void LogWritableAgain(string directory, double seconds, long written, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Directory}: {Count} messages from sequence {Sequence} were held in memory only ({Reason}) and are lost on stopping")]
    private partial void LogUnwrittenLost(string directory, long count, long sequence, string reason);

    /// <summary>An episode of refused writes.</summary>
    private sealed class WriteTrouble(long since, string reason, long droppedBefore)
    {
        public long Since { get; } = since;

        public string Reason { get; } = reason;

        public long DroppedBefore { get; } = droppedBefore;

        public long Written { get; set; }
    }
}
