using System.IO.Hashing;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>A whole record found by <see cref="SegmentScan"/>.</summary>
internal readonly record struct ScannedRecord(long Sequence, long Offset, int RecordLength);

/// <summary>Bytes between whole records that hold no whole record: one torn or damaged record, or a run of them.</summary>
internal readonly record struct DamagedRange(long Offset, long Length);

/// <summary>
/// What a segment file holds: its whole records in file order and the damaged ranges between
/// them. A scan never throws on content; after damage it resyncs on the next magic that starts
/// a whole record.
/// </summary>
internal sealed class SegmentScan
{
    private SegmentScan(IReadOnlyList<ScannedRecord> records, IReadOnlyList<DamagedRange> damaged, long validEnd, long length)
    {
        Records = records;
        Damaged = damaged;
        ValidEnd = validEnd;
        Length = length;
    }

    public IReadOnlyList<ScannedRecord> Records { get; }

    public IReadOnlyList<DamagedRange> Damaged { get; }

    /// <summary>End of the last whole record (0 if none); bytes past it are a damaged tail.</summary>
    public long ValidEnd { get; }

    public long Length { get; }

    public bool HasDamagedTail => ValidEnd < Length;

    public static SegmentScan Of(ReadOnlySpan<byte> data, Crc32 crc)
    {
        var records = new List<ScannedRecord>();
        var damaged = new List<DamagedRange>();
        var position = 0;
        var validEnd = 0;
        var damageStart = -1;
        while (position < data.Length)
        {
            if (QueueRecord.TryRead(data, position, crc, out var sequence, out var payloadLength))
            {
                if (damageStart >= 0)
                {
                    damaged.Add(new DamagedRange(damageStart, position - damageStart));
                    damageStart = -1;
                }

                var size = QueueRecord.SizeOf(payloadLength);
                records.Add(new ScannedRecord(sequence, position, size));
                position += size;
                validEnd = position;
            }
            else
            {
                if (damageStart < 0)
                {
                    damageStart = position;
                }

                position = QueueRecord.NextMagic(data, position + 1);
            }
        }

        if (damageStart >= 0)
        {
            damaged.Add(new DamagedRange(damageStart, data.Length - damageStart));
        }

        return new SegmentScan(records, damaged, validEnd, data.Length);
    }
}
