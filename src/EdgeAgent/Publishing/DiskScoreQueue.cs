using System.Buffers;
using System.IO.Hashing;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// The store-and-forward queue on disk (docs/queue.md). Survives a SIGKILL and a power cut.
/// </summary>
/// <remarks>
/// <para>Layout of <see cref="ScoreQueueOptions.Directory"/>: append-only segment files named
/// by the first sequence number they were created for (<c>00000000000000000001.seg</c>), each a
/// run of records <c>[magic u32][length u32][seq i64][crc32 over seq+payload][payload]</c>
/// (<see cref="QueueRecord"/>); the file <c>ack</c> with the highest sequence delivered or
/// dropped, replaced atomically (<see cref="AckFile"/>); and <c>queue.lock</c>, held exclusively
/// so two agents never share the folder.</para>
/// <para>Recovery scans the segments in order and keeps every whole record. Damage (a record torn
/// by a crash mid-write, bit rot) is skipped and counted in <see cref="CorruptSkipped"/>; the scan
/// resyncs on the next magic. A damaged tail of the newest segment is cut off so appends continue
/// after the last whole record. The next sequence is one past the highest of: any record seen,
/// the acknowledged sequence, and the newest segment's name - 1, so it never goes back even when
/// everything was acknowledged (the newest segment is never deleted).</para>
/// <para>An in-memory index (sequence, segment, offset) of the unacknowledged records, bounded
/// by <see cref="ScoreQueueOptions.MaxMessages"/>, lets <see cref="Peek"/> read without scanning.
/// Past <see cref="ScoreQueueOptions.MaxMessages"/> or <see cref="ScoreQueueOptions.MaxBytes"/>
/// the oldest messages are dropped: the acknowledged point moves over them, they are counted in
/// <see cref="Dropped"/> and a rate-limited warning says how many. A segment whose records are all
/// acknowledged is deleted, unless it is the newest.</para>
/// <para>One lock guards everything: the pipeline appends on one thread while the publisher
/// peeks and acknowledges on another. A message is handed out (<see cref="Peek"/>,
/// <see cref="WaitForMessagesAsync"/>) only once fsynced, so no sequence number that left the
/// device is reused after a power cut.</para>
/// <para>A disk that refuses writes (full, read-only) never stops the agent: messages it will not
/// take are held in memory, bounded, and handed out like the others, so scores still reach a
/// connected broker; what does not fit is dropped and counted. Every later append, and the flush
/// interval, tries the disk again; once it takes writes, the held messages are written first, in
/// order. An acknowledgement that cannot be written stays in memory and is written later.</para>
/// </remarks>
public sealed partial class DiskScoreQueue : IScoreQueue, IDisposable
{
    // Queue-full warnings come at most this often, each with the count since the one before.
    private static readonly TimeSpan DropWarningInterval = TimeSpan.FromSeconds(10);

    private readonly ScoreQueueOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly QueueFileSystem files;
    private readonly string directory;
    private readonly AckFile ackFile;
    private readonly Crc32 crc = new();
    private readonly Lock gate = new();
    private readonly List<QueueSegment> segments = []; // oldest first; the last is the one appended to
    private readonly Queue<IndexEntry> unacknowledged = new(); // oldest first
    private readonly Queue<UnwrittenRecord> unwritten = new(); // refused by the disk; all newer than the on-disk ones
    private readonly ITimer flushTimer;
    private readonly SafeFileHandle? directoryLock;

    private long nextSequence;
    private long acknowledged;
    private long persistedAcknowledged;
    private long durableSequence; // highest sequence known fsynced
    private long unacknowledgedBytes;
    private long dropped;
    private long droppedUnreported;
    private long? lastDropWarning;
    private long corruptSkipped;
    private bool flushScheduled;
    private TaskCompletionSource? waiter;
    private bool disposed;

    /// <summary>Opens the queue in <see cref="ScoreQueueOptions.Directory"/>, creating it if needed, and recovers what it holds.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    /// <exception cref="QueueFolderException">The folder cannot be used: another agent holds it, its lock file is a directory, or it cannot be created or read.</exception>
    public DiskScoreQueue(ScoreQueueOptions options, ILogger<DiskScoreQueue> logger, TimeProvider? timeProvider = null)
        : this(options, logger, timeProvider, QueueFileSystem.Real)
    {
    }

    /// <param name="files">The file-system calls that write (a test's full disk).</param>
    internal DiskScoreQueue(ScoreQueueOptions options, ILogger<DiskScoreQueue> logger, TimeProvider? timeProvider, QueueFileSystem files)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        this.options = options;
        this.logger = logger;
        time = timeProvider ?? TimeProvider.System;
        this.files = files;
        directory = Path.GetFullPath(options.Directory);
        ackFile = new AckFile(directory, files);
        flushTimer = time.CreateTimer(_ => OnFlushTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            directoryLock = QueueLock.Acquire(directory);
            Recover();
        }
        catch (QueueFolderException)
        {
            ReleaseFiles();
            throw;
        }
        catch (UnauthorizedAccessException e)
        {
            ReleaseFiles();
            throw new UnauthorizedAccessException($"Queue.Directory '{directory}' is not writable: {e.Message}", e);
        }
        catch (IOException e)
        {
            ReleaseFiles();
            throw new QueueFolderException($"Queue.Directory '{directory}' cannot be used: {e.Message}", e);
        }
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
                return Count;
            }
        }
    }

    /// <summary>Record bytes (headers and payloads) of the unacknowledged messages, on disk or held in memory.</summary>
    public long Bytes
    {
        get
        {
            lock (gate)
            {
                return unacknowledgedBytes;
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

    public long CorruptSkipped
    {
        get
        {
            lock (gate)
            {
                return corruptSkipped;
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The sequence is not <see cref="NextSequence"/>, or the payload can never fit.</exception>
    /// <remarks>
    /// Never throws for the disk: a message the disk refuses is held in memory (bounded, see the
    /// class remarks) and the sequence is used all the same.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The sequence numbers are exhausted (<see cref="QueueRecord.MaxSequence"/>).</exception>
    public void Append(long sequence, ReadOnlySpan<byte> payload)
    {
        var size = QueueRecord.SizeOf(payload.Length);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (sequence != nextSequence)
            {
                throw new ArgumentException($"Sequence {sequence} is not the queue's next sequence {nextSequence}", nameof(sequence));
            }

            if (payload.Length > QueueRecord.MaxPayloadBytes || size > options.MaxBytes)
            {
                throw new ArgumentException(
                    $"A payload of {payload.Length} bytes never fits the queue (Queue.MaxBytes is {options.MaxBytes}, a record has {QueueRecord.HeaderSize} bytes of header, a payload at most {QueueRecord.MaxPayloadBytes})",
                    nameof(payload));
            }

            if (sequence >= QueueRecord.MaxSequence)
            {
                throw new InvalidOperationException($"Queue {directory}: sequence numbers are exhausted at {sequence}; move the folder away to start again at 1");
            }

            MakeRoomFor(size);
            var record = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                QueueRecord.Write(record.AsSpan(0, size), sequence, payload, crc);
                nextSequence = sequence + 1;
                unacknowledgedBytes += size;
                if (TryWriteUnwritten() && TryStore(sequence, record.AsSpan(0, size)))
                {
                    EndTroubleIfClear();
                }
                else
                {
                    HoldInMemory(sequence, record.AsSpan(0, size).ToArray());
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(record);
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>Only messages already fsynced are returned (with <see cref="QueueDurability.Batched"/>, up to one flush interval after their append).</remarks>
    public IReadOnlyList<QueuedMessage> Peek(int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var messages = new List<QueuedMessage>(Math.Min(max, Count));
            foreach (var entry in unacknowledged)
            {
                if (messages.Count == max || entry.Sequence > durableSequence)
                {
                    return messages;
                }

                var payload = new byte[entry.RecordLength - QueueRecord.HeaderSize];
                entry.Segment.Read(entry.Offset + QueueRecord.HeaderSize, payload);
                messages.Add(new QueuedMessage(entry.Sequence, payload));
            }

            // Held in memory: as durable as they will get until the disk takes them.
            foreach (var held in unwritten)
            {
                if (messages.Count == max)
                {
                    break;
                }

                messages.Add(new QueuedMessage(held.Sequence, held.Record.AsSpan(QueueRecord.HeaderSize).ToArray()));
            }

            return messages;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The sequence was never appended.</exception>
    public void Acknowledge(long sequence)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (sequence >= nextSequence)
            {
                throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"Sequence {sequence} was never appended; the next is {nextSequence}");
            }

            if (sequence <= acknowledged)
            {
                return;
            }

            AdvanceAcknowledged(sequence);
            DeleteAcknowledgedSegments();
            if (options.Durability == QueueDurability.EveryMessage)
            {
                TryPersistAcknowledged();
            }
            else
            {
                ScheduleFlush();
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>"Holds a message" means one that <see cref="Peek"/> would return: stored and fsynced.</remarks>
    public Task WaitForMessagesAsync(CancellationToken cancellationToken)
    {
        Task ready;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (HasDeliverable)
            {
                return Task.CompletedTask;
            }

            waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ready = waiter.Task;
        }

        return ready.WaitAsync(cancellationToken);
    }

    /// <summary>Flushes what is pending (appends, the acknowledged point) and closes the files.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            flushTimer.Dispose();
            FlushPending();
            LoseUnwritten();

            if (droppedUnreported > 0)
            {
                LogDropped(droppedUnreported, dropped, acknowledged);
            }

            waiter?.TrySetException(new ObjectDisposedException(nameof(DiskScoreQueue)));
            waiter = null;
            ReleaseFiles();
        }
    }

    private int Count => unacknowledged.Count + unwritten.Count;

    private bool HasDeliverable => unacknowledged.Count > 0
        ? unacknowledged.Peek().Sequence <= durableSequence
        : unwritten.Count > 0;

    /// <summary>Drops the oldest messages until one more of <paramref name="size"/> bytes fits.</summary>
    private void MakeRoomFor(int size)
    {
        var count = 0L;
        while (Count > 0
            && (Count + 1 > options.MaxMessages || unacknowledgedBytes + size > options.MaxBytes))
        {
            DropOldest();
            count++;
        }

        if (count > 0)
        {
            ReportDrops(count);
            DeleteAcknowledgedSegments();

            // A lost drop costs nothing: recovery finds the queue over its limits and drops again.
            ScheduleFlush();
        }
    }

    private void DropOldest()
    {
        if (unacknowledged.Count == 0)
        {
            var held = unwritten.Dequeue();
            unacknowledgedBytes -= held.Record.Length;
            acknowledged = held.Sequence;
            dropped++;
            return;
        }

        var oldest = unacknowledged.Dequeue();
        unacknowledgedBytes -= oldest.RecordLength;
        acknowledged = oldest.Sequence;
        dropped++;
    }

    private void ReportDrops(long count)
    {
        droppedUnreported += count;
        var now = time.GetTimestamp();
        if (lastDropWarning is { } last && time.GetElapsedTime(last, now) < DropWarningInterval)
        {
            return;
        }

        LogDropped(droppedUnreported, dropped, acknowledged);
        droppedUnreported = 0;
        lastDropWarning = now;
    }

    private void AdvanceAcknowledged(long sequence)
    {
        acknowledged = sequence;
        while (unacknowledged.Count > 0 && unacknowledged.Peek().Sequence <= sequence)
        {
            unacknowledgedBytes -= unacknowledged.Dequeue().RecordLength;
        }

        while (unwritten.Count > 0 && unwritten.Peek().Sequence <= sequence)
        {
            unacknowledgedBytes -= unwritten.Dequeue().Record.Length;
        }
    }

    /// <summary>
    /// Writes one record to the newest segment and indexes it; false (nothing indexed, the
    /// failure noted) when the disk refuses it.
    /// </summary>
    private bool TryStore(long sequence, ReadOnlySpan<byte> record)
    {
        QueueSegment segment;
        long offset;
        try
        {
            segment = SegmentFor(record.Length, sequence);
            offset = AppendTo(ref segment, record, sequence);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            NoteWriteFailure(e);
            return false;
        }

        unacknowledged.Enqueue(new IndexEntry(sequence, segment, offset, record.Length));
        if (options.Durability == QueueDurability.Batched)
        {
            ScheduleFlush();
            return true;
        }

        try
        {
            segment.Flush();
            MarkDurable(sequence);
        }
        catch (IOException e)
        {
            // Written but not yet fsynced: handed out once the flush interval's retry succeeds.
            NoteWriteFailure(e);
            ScheduleFlush();
        }

        return true;
    }

    private long AppendTo(ref QueueSegment segment, ReadOnlySpan<byte> record, long sequence)
    {
        try
        {
            return segment.Append(record, sequence);
        }
        catch (IOException) when (segment.Length > 0 && segment.LastSequence <= acknowledged && ReferenceEquals(segment, segments[^1]))
        {
            // The disk is full and the newest segment holds only delivered records. Being the
            // newest it would never be deleted, and its space never come back: start a new one
            // (an empty file needs no data blocks) so the old one can go, then try once more.
            segment = NewSegment(sequence);
            DeleteAcknowledgedSegments();
            return segment.Append(record, sequence);
        }
    }

    /// <summary>The segment to append a record of <paramref name="size"/> bytes to: the newest, or a new one when it is full.</summary>
    private QueueSegment SegmentFor(int size, long sequence)
    {
        if (segments.Count > 0)
        {
            var newest = segments[^1];
            if (newest.Length == 0 || newest.Length + size <= options.SegmentBytes)
            {
                return newest;
            }

            // Sealed segments are complete on disk; only the newest can hold unsynced records.
            newest.Flush();
            MarkDurable(newest.LastSequence);
        }

        return NewSegment(sequence);
    }

    private QueueSegment NewSegment(long sequence)
    {
        var created = QueueSegment.Create(directory, sequence, files);
        segments.Add(created);
        files.SyncDirectory(directory);
        LogSegmentCreated(created.FileName);
        return created;
    }

    /// <summary>Deletes the oldest segments whose records are all acknowledged, never the newest.</summary>
    private void DeleteAcknowledgedSegments()
    {
        while (segments.Count > 1 && segments[0].LastSequence <= acknowledged)
        {
            var oldest = segments[0];
            segments.RemoveAt(0);
            oldest.Delete();
            LogSegmentDeleted(oldest.FileName);
        }
    }

    private void MarkDurable(long sequence)
    {
        if (sequence > durableSequence)
        {
            durableSequence = sequence;
            WakeWaiter();
        }
    }

    private void WakeWaiter()
    {
        if (waiter is not null && HasDeliverable)
        {
            waiter.TrySetResult();
            waiter = null;
        }
    }

    private void PersistAcknowledged()
    {
        if (persistedAcknowledged != acknowledged)
        {
            ackFile.Write(acknowledged);
            persistedAcknowledged = acknowledged;
        }
    }

    private void ScheduleFlush()
    {
        if (!flushScheduled)
        {
            flushScheduled = true;
            flushTimer.Change(options.FlushInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnFlushTimer()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            flushScheduled = false;
            if (!FlushPending())
            {
                ScheduleFlush();
            }
        }
    }

    /// <summary>
    /// Writes the messages held in memory, fsyncs unsynced appends and writes the acknowledged
    /// point if it moved. False when the disk refused some of it (noted; retry later).
    /// </summary>
    private bool FlushPending()
    {
        var written = TryWriteUnwritten();
        if (segments.Count > 0 && segments[^1].LastSequence > durableSequence)
        {
            try
            {
                segments[^1].Flush();
                MarkDurable(segments[^1].LastSequence);
            }
            catch (IOException e)
            {
                NoteWriteFailure(e);
                written = false;
            }
        }

        TryPersistAcknowledged();
        if (!written || ackWriteFailed)
        {
            return false;
        }

        EndTroubleIfClear();
        return true;
    }

    private void ReleaseFiles()
    {
        foreach (var segment in segments)
        {
            segment.Dispose();
        }

        segments.Clear();
        unacknowledged.Clear();
        unwritten.Clear();
        directoryLock?.Dispose();
        flushTimer.Dispose();
    }

    /// <summary>Where an unacknowledged record lies.</summary>
    private readonly record struct IndexEntry(long Sequence, QueueSegment Segment, long Offset, int RecordLength);

    /// <summary>A whole record (header and payload) the disk has not taken yet.</summary>
    private readonly record struct UnwrittenRecord(long Sequence, byte[] Record);
}
