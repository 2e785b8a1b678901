using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>The queue's log lines.</summary>
public sealed partial class DiskScoreQueue
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Directory} opened: {Depth} messages ({Bytes} bytes) pending in {Segments} segments, next sequence {NextSequence}, {CorruptSkipped} damaged records skipped")]
    private partial void LogOpened(string directory, int depth, long bytes, int segments, long nextSequence, long corruptSkipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue segment {Segment}: {Length} damaged bytes at offset {Offset} skipped")]
    private partial void LogDamagedRange(string segment, long offset, long length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue segment {Segment}: record at offset {Offset} has sequence {Sequence}, not after {Previous}; skipped")]
    private partial void LogOutOfOrder(string segment, long offset, long sequence, long previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue segment {Segment}: torn tail of {Length} bytes cut at offset {Offset}")]
    private partial void LogTailCut(string segment, long offset, long length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Directory}: acknowledgement file damaged; every stored message will be sent again")]
    private partial void LogAckDamaged(string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue: ignoring {Path}, not a segment name")]
    private partial void LogForeignFile(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue: ignoring {Path}, a symbolic link (to {Target}) and not a segment file")]
    private partial void LogNotRegular(string path, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue segment {Segment}: record at offset {Offset} has sequence {Sequence}, outside the queue's range 1..{Max}; skipped")]
    private partial void LogOutOfRange(string segment, long offset, long sequence, long max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue full: dropped the {Count} oldest messages (up to sequence {Sequence}); {Total} dropped since start")]
    private partial void LogDropped(long count, long total, long sequence);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue segment {Segment} created")]
    private partial void LogSegmentCreated(string segment);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue segment {Segment} deleted: every record acknowledged")]
    private partial void LogSegmentDeleted(string segment);
}
