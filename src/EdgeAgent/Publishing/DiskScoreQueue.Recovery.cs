using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>How the queue rebuilds its index from the segments and the ack file when it opens.</summary>
public sealed partial class DiskScoreQueue
{
    private void Recover()
    {
        var stored = ackFile.Read();
        if (stored is null)
        {
            LogAckDamaged(directory);
        }

        acknowledged = persistedAcknowledged = stored ?? 0;

        var segmentFiles = new List<(long First, string Path)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + QueueSegment.Extension))
        {
            if (new FileInfo(path).LinkTarget is { } target)
            {
                // Appends would go wherever it points (/dev/zero swallows them): not ours to use.
                LogNotRegular(path, target);
            }
            else if (QueueSegment.TryParseFileName(Path.GetFileName(path), out var first) && first is >= 1 and <= QueueRecord.MaxSequence)
            {
                segmentFiles.Add((first, path));
            }
            else
            {
                LogForeignFile(path);
            }
        }

        segmentFiles.Sort((a, b) => a.First.CompareTo(b.First));

        var highest = 0L;
        for (var i = 0; i < segmentFiles.Count; i++)
        {
            var segment = QueueSegment.Open(segmentFiles[i].Path, segmentFiles[i].First, files);
            segments.Add(segment);
            highest = RecoverSegment(segment, isNewest: i == segmentFiles.Count - 1, highest);
        }

        var newestName = segments.Count > 0 ? segments[^1].FirstSequence - 1 : 0;
        nextSequence = Math.Max(Math.Max(highest, acknowledged), newestName) + 1;

        // A killed process may have left its last appends in the page cache only: make them
        // durable before they can be handed out. Older segments were fsynced when they were sealed.
        if (segments.Count > 0)
        {
            segments[^1].Flush();
        }

        durableSequence = highest;
        DeleteAcknowledgedSegments();

        // The limits may have shrunk since the messages were stored.
        var excess = 0L;
        while (Count > options.MaxMessages || unacknowledgedBytes > options.MaxBytes)
        {
            DropOldest();
            excess++;
        }

        if (excess > 0)
        {
            ReportDrops(excess);
            DeleteAcknowledgedSegments();
            TryPersistAcknowledged();
        }

        LogOpened(directory, unacknowledged.Count, unacknowledgedBytes, segments.Count, nextSequence, corruptSkipped);
    }

    /// <summary>Indexes the whole, in-order records of one segment; returns the highest sequence seen so far.</summary>
    private long RecoverSegment(QueueSegment segment, bool isNewest, long highest)
    {
        var scan = SegmentScan.Of(segment.ReadAll(), crc);
        foreach (var damage in scan.Damaged)
        {
            corruptSkipped++;
            LogDamagedRange(segment.FileName, damage.Offset, damage.Length);
        }

        foreach (var record in scan.Records)
        {
            if (record.Sequence is < 1 or > QueueRecord.MaxSequence)
            {
                // Taken as real, it would make the next sequence overflow and every later record look out of order.
                corruptSkipped++;
                LogOutOfRange(segment.FileName, record.Offset, record.Sequence, QueueRecord.MaxSequence);
                continue;
            }

            if (record.Sequence <= highest)
            {
                // Whole but out of order: not something this queue wrote in this place.
                corruptSkipped++;
                LogOutOfOrder(segment.FileName, record.Offset, record.Sequence, highest);
                continue;
            }

            highest = record.Sequence;
            segment.Recovered(record.Sequence);
            if (record.Sequence > acknowledged)
            {
                unacknowledged.Enqueue(new IndexEntry(record.Sequence, segment, record.Offset, record.RecordLength));
                unacknowledgedBytes += record.RecordLength;
            }
        }

        // Only the newest segment is appended to; its torn tail would sit between records.
        if (isNewest && scan.HasDamagedTail)
        {
            LogTailCut(segment.FileName, scan.ValidEnd, scan.Length - scan.ValidEnd);
            segment.Truncate(scan.ValidEnd);
        }

        return highest;
    }
}
