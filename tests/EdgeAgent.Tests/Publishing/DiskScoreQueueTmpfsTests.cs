namespace EdgeEmotion.EdgeAgent.Tests.Publishing;

/// <summary>
/// The queue on a real 512 KiB tmpfs that is full: the kernel's own ENOSPC, where
/// <see cref="DiskScoreQueueDiskFullTests"/> injects one.
/// </summary>
public sealed class DiskScoreQueueTmpfsTests
{
    [TmpfsFact]
    public void On_a_full_tmpfs_appends_go_on_and_everything_held_reaches_disk_once_space_returns()
    {
        using var tmpfs = Tmpfs.TryMount("512k", out var whyNot) ?? throw new InvalidOperationException(whyNot);
        var folder = new QueueFolder(tmpfs.Path);
        using (var queue = folder.Open())
        {
            Payloads.AppendMany(queue, 5, size: 1000);
            var filler = tmpfs.Fill();

            Payloads.AppendMany(queue, 40, size: 1000);

            Assert.Contains("No space left on device", queue.WriteError, StringComparison.Ordinal);
            Assert.True(queue.Unwritten > 0);
            Assert.Equal(45, queue.Depth);

            File.Delete(filler);
            Payloads.AppendMany(queue, 1, size: 1000);

            Assert.Equal(0, queue.Unwritten);
            Assert.Null(queue.WriteError);
        }

        using var reopened = folder.Open();
        Assert.Equal(Enumerable.Range(1, 46).Select(i => (long)i), Payloads.Sequences(reopened.Peek(100)));
        Assert.Equal(0, reopened.CorruptSkipped);
    }
}
