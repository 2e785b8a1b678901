using EdgeEmotion.EdgeAgent.Publishing;
using Microsoft.Win32.SafeHandles;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing;

/// <summary>
/// A queue folder on a disk of <see cref="Capacity"/> bytes: a write that would take the folder's
/// files past it writes what fits, then fails with ENOSPC as Linux does. Deleting files frees
/// their space. Null capacity: unlimited.
/// </summary>
internal sealed class SmallDisk(string directory) : QueueFileSystem
{
    /// <summary>"No space left on device", as .NET words ENOSPC.</summary>
    public const string NoSpace = "No space left on device";

    public long? Capacity { get; set; }

    public int FailedWrites { get; private set; }

    /// <summary>Makes the disk full as it is now: the next byte written fails.</summary>
    public void Fill() => Capacity = Used();

    public long Used() => Directory.Exists(directory) ? Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length) : 0;

    public override void Write(SafeFileHandle handle, ReadOnlySpan<byte> data, long offset)
    {
        var growth = Math.Max(0, offset + data.Length - RandomAccess.GetLength(handle));
        var free = Capacity is { } capacity ? capacity - Used() : long.MaxValue;
        if (growth <= free)
        {
            base.Write(handle, data, offset);
            return;
        }

        // What fits is written (a torn record), then the error.
        var fits = (int)Math.Max(0, data.Length - (growth - Math.Max(0, free)));
        if (fits > 0)
        {
            base.Write(handle, data[..fits], offset);
        }

        FailedWrites++;
        throw new IOException(NoSpace, 28);
    }
}
