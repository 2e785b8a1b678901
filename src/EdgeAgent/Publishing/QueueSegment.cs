using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// One append-only segment file, named by the first sequence number it was created for
/// (<c>00000000000000000001.seg</c>). Holds its handle open for positional writes and reads.
/// </summary>
internal sealed class QueueSegment : IDisposable
{
    public const string Extension = ".seg";

    private readonly SafeFileHandle handle;
    private readonly QueueFileSystem files;

    private QueueSegment(string path, long firstSequence, SafeFileHandle handle, long length, QueueFileSystem files)
    {
        this.files = files;
        Path = path;
        FirstSequence = firstSequence;
        this.handle = handle;
        Length = length;
        LastSequence = firstSequence - 1;
    }

    public string Path { get; }

    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The sequence number in the file name: no record in it is older.</summary>
    public long FirstSequence { get; }

    /// <summary>Highest sequence number stored; <see cref="FirstSequence"/> - 1 while empty.</summary>
    public long LastSequence { get; private set; }

    /// <summary>Bytes written; the next record goes here.</summary>
    public long Length { get; private set; }

    public static string FileNameOf(long firstSequence) =>
        firstSequence.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseFileName(string fileName, out long firstSequence)
    {
        firstSequence = 0;
        return fileName.Length == 20 + Extension.Length
            && fileName.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out firstSequence);
    }

    /// <summary>Creates an empty segment; the caller makes its directory entry durable.</summary>
    public static QueueSegment Create(string directory, long firstSequence, QueueFileSystem files)
    {
        var path = System.IO.Path.Combine(directory, FileNameOf(firstSequence));
        var handle = files.Open(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        return new QueueSegment(path, firstSequence, handle, 0, files);
    }

    public static QueueSegment Open(string path, long firstSequence, QueueFileSystem files)
    {
        var handle = files.Open(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        return new QueueSegment(path, firstSequence, handle, RandomAccess.GetLength(handle), files);
    }

    /// <summary>The whole file, for recovery.</summary>
    public byte[] ReadAll()
    {
        if (Length > Array.MaxLength)
        {
            throw new IOException($"Queue segment '{Path}' is {Length} bytes, too large to scan");
        }

        var data = new byte[Length];
        var read = 0;
        while (read < data.Length)
        {
            var n = RandomAccess.Read(handle, data.AsSpan(read), read);
            if (n == 0)
            {
                throw new IOException($"Queue segment '{Path}' shrank while being read");
            }

            read += n;
        }

        return data;
    }

    /// <summary>Notes a record found by recovery.</summary>
    public void Recovered(long sequence) => LastSequence = Math.Max(LastSequence, sequence);

    /// <summary>
    /// Writes one whole record at the end in a single call; returns its offset. A write that fails
    /// half-way (a full disk) is cut off again, so the file still ends with a whole record.
    /// </summary>
    public long Append(ReadOnlySpan<byte> record, long sequence)
    {
        var offset = Length;
        try
        {
            files.Write(handle, record, offset);
        }
        catch (IOException)
        {
            TryCutBackTo(offset);
            throw;
        }

        Length += record.Length;
        LastSequence = sequence;
        return offset;
    }

    public void Read(long offset, Span<byte> destination)
    {
        var read = 0;
        while (read < destination.Length)
        {
            var n = RandomAccess.Read(handle, destination[read..], offset + read);
            if (n == 0)
            {
                throw new IOException($"Queue segment '{Path}' ends before offset {offset + destination.Length}");
            }

            read += n;
        }
    }

    /// <summary>Cuts a damaged tail so appends continue after the last whole record.</summary>
    public void Truncate(long length)
    {
        RandomAccess.SetLength(handle, length);
        RandomAccess.FlushToDisk(handle);
        Length = length;
    }

    /// <summary>fsync: what was written survives a power cut.</summary>
    public void Flush() => files.Flush(handle);

    // Shrinking needs no free space. Should it fail anyway, the next append overwrites the torn
    // bytes from the same offset, and recovery cuts whatever is left past the last whole record.
    private void TryCutBackTo(long length)
    {
        try
        {
            RandomAccess.SetLength(handle, length);
        }
        catch (IOException)
        {
        }
    }

    public void Delete()
    {
        handle.Dispose();
        File.Delete(Path);
    }

    public void Dispose() => handle.Dispose();
}
