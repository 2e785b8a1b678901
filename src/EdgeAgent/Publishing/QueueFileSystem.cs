using Microsoft.Win32.SafeHandles;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// The calls through which the queue changes its folder: creating and writing files, fsync,
/// renames. One seam, so tests can make the disk "full" (a write that fails with ENOSPC half-way)
/// without filling a real one.
/// </summary>
internal class QueueFileSystem
{
    /// <summary>The real file system.</summary>
    public static readonly QueueFileSystem Real = new();

    public virtual SafeFileHandle Open(string path, FileMode mode, FileAccess access, FileShare share) =>
        File.OpenHandle(path, mode, access, share);

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/>; may have written part of it when it throws.</summary>
    public virtual void Write(SafeFileHandle handle, ReadOnlySpan<byte> data, long offset) =>
        RandomAccess.Write(handle, data, offset);

    public virtual void Flush(SafeFileHandle handle) => RandomAccess.FlushToDisk(handle);

    public virtual void Replace(string source, string destination) => File.Move(source, destination, overwrite: true);

    public virtual void SyncDirectory(string directory) => DirectorySync.Flush(directory);
}
