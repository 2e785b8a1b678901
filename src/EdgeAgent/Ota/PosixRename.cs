using System.Runtime.InteropServices;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>rename(2) itself: atomic replacement of a name, also when the name is a symlink (File.Move checks the target's type first).</summary>
internal static partial class PosixRename
{
    public static void Rename(string from, string to)
    {
        if (RenameNative(from, to) != 0)
        {
            throw new IOException($"rename of '{from}' to '{to}' failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameNative(string from, string to);
}
