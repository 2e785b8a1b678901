using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// <c>queue.lock</c>: held exclusively (flock via <see cref="FileShare.None"/>) while an agent owns
/// the folder, and holding that agent's pid so a second one can say who has it.
/// </summary>
internal static partial class QueueLock
{
    public const string FileName = "queue.lock";

    // .NET on Linux reports a file another process has flocked with flock's errno, EWOULDBLOCK
    // (11), as the HResult; Windows with ERROR_SHARING_VIOLATION.
    private const int WouldBlock = 11;
    private const int SharingViolation = unchecked((int)0x80070020);

    /// <exception cref="QueueFolderException">The lock file is a directory, or another process holds it.</exception>
    public static SafeFileHandle Acquire(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (Directory.Exists(path))
        {
            throw new QueueFolderException($"queue folder '{directory}': {FileName} is a directory, not a lock file; remove it");
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e.HResult is WouldBlock or SharingViolation)
        {
            var owner = ReadOwner(path) is { } pid ? $"pid {pid}" : "pid unknown";
            throw new QueueFolderException($"queue folder '{directory}' is in use by another edgeemo ({owner})", e);
        }

        try
        {
            var text = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            RandomAccess.SetLength(handle, 0);
            RandomAccess.Write(handle, text, 0);
        }
        catch (IOException)
        {
            // A full disk: the lock holds all the same, only a second agent cannot name us.
        }

        return handle;
    }

    /// <summary>
    /// The pid written by the holder. Read with open(2)/read(2): .NET's own open would ask for a
    /// shared flock, which the holder's exclusive one refuses.
    /// </summary>
    private static int? ReadOwner(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            Span<byte> buffer = stackalloc byte[32];
            var n = Read(fd, ref MemoryMarshal.GetReference(buffer), buffer.Length);
            return n > 0 && int.TryParse(Encoding.ASCII.GetString(buffer[..(int)n]).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, ref byte buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
