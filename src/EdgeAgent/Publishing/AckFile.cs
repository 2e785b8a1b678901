using System.Buffers.Binary;
using System.IO.Hashing;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// The file <c>ack</c>: the highest sequence number delivered (or dropped), as
/// <c>[magic u32][seq i64][crc32 u32 over seq]</c>. Replaced atomically: written to
/// <c>ack.tmp</c>, fsynced, renamed over <c>ack</c>, then the directory fsynced, so a crash
/// leaves either the old value or the new one. On a full disk, where <c>ack.tmp</c> cannot be
/// written, the 16 bytes are overwritten in place instead (no new space needed).
/// </summary>
internal sealed class AckFile
{
    public const string FileName = "ack";
    public const string TemporaryFileName = "ack.tmp";

    private const uint Magic = 0x314B_4341; // "ACK1"
    private const int Size = 16;

    private readonly string directory;
    private readonly string path;
    private readonly string temporaryPath;
    private readonly QueueFileSystem files;

    public AckFile(string directory, QueueFileSystem files)
    {
        this.directory = directory;
        this.files = files;
        path = Path.Combine(directory, FileName);
        temporaryPath = Path.Combine(directory, TemporaryFileName);
    }

    /// <summary>The stored sequence, 0 when there is no file, null when it is damaged or out of range.</summary>
    public long? Read()
    {
        if (File.Exists(temporaryPath))
        {
            File.Delete(temporaryPath); // a write that never reached its rename
        }

        if (!File.Exists(path))
        {
            return 0;
        }

        var data = File.ReadAllBytes(path);
        if (data.Length != Size || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic)
        {
            return null;
        }

        var sequence = data.AsSpan(4, 8);
        var value = BinaryPrimitives.ReadInt64LittleEndian(sequence);
        return Crc32.HashToUInt32(sequence) == BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(12)) && value is >= 0 and <= QueueRecord.MaxSequence
            ? value
            : null;
    }

    /// <exception cref="IOException">Neither way could write it.</exception>
    public void Write(long sequence)
    {
        Span<byte> data = stackalloc byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(data, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(data[4..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(data[12..], Crc32.HashToUInt32(data.Slice(4, 8)));
        try
        {
            using (var handle = files.Open(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                files.Write(handle, data, 0);
                files.Flush(handle);
            }

            files.Replace(temporaryPath, path);
            files.SyncDirectory(directory);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Kept on disk even when full, so a seq delivered meanwhile is never handed out again
            // after a crash. 16 bytes within one sector are written whole in practice; if not,
            // the CRC fails and the next start resends everything: duplicates, never loss.
            WriteInPlace(data);
        }
    }

    private void WriteInPlace(ReadOnlySpan<byte> data)
    {
        using var handle = files.Open(path, FileMode.Open, FileAccess.Write, FileShare.None);
        files.Write(handle, data, 0);
        files.Flush(handle);
    }
}
