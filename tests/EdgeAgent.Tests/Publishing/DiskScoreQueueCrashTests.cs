using EdgeEmotion.EdgeAgent.Publishing;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing;

/// <summary>
/// Power cuts, simulated: the folder as the disk might hold it after a cut, with the newest
/// segment ending at every byte offset (and, as ext4 can leave it, zero-filled past the cut).
/// </summary>
public sealed class DiskScoreQueueCrashTests : IDisposable
{
    private readonly QueueFolder source = new();
    private readonly string copies = Path.Combine(Path.GetTempPath(), $"edgeemo-queue-cuts-{Guid.NewGuid():N}");

    public void Dispose()
    {
        source.Dispose();
        if (Directory.Exists(copies))
        {
            Directory.Delete(copies, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_cut_anywhere_in_the_newest_segment_keeps_every_whole_record_before_it(bool zeroFilled)
    {
        // Sizes vary so records straddle no fixed grid; 1 KiB segments make three files.
        var options = source.Options(segmentBytes: 1024);
        var ends = new List<(long Sequence, long End)>();
        using (var queue = source.Open(options))
        {
            for (var i = 0; i < 16; i++)
            {
                var sequence = queue.NextSequence;
                queue.Append(sequence, Payloads.For(sequence, 100 + (i * 37 % 90)));
            }

            queue.Acknowledge(2);
        }

        var newest = source.Segments()[^1];
        var newestName = Path.GetFileName(newest);
        var firstInNewest = long.Parse(newestName.AsSpan(0, 20), provider: null);
        var intact = File.ReadAllBytes(newest);
        var position = 0L;
        for (var sequence = firstInNewest; position < intact.Length; sequence++)
        {
            position += QueueRecord.SizeOf(Payloads.For(sequence, 100 + ((int)(sequence - 1) * 37 % 90)).Length);
            ends.Add((sequence, position));
        }

        Assert.Equal(intact.Length, position);
        Assert.True(ends.Count >= 3);

        for (var cut = 0; cut <= intact.Length; cut++)
        {
            var copy = Path.Combine(copies, $"{cut}");
            source.CopyTo(copy);
            var damaged = new byte[zeroFilled ? intact.Length : cut];
            intact.AsSpan(0, cut).CopyTo(damaged);
            File.WriteAllBytes(Path.Combine(copy, newestName), damaged);

            var whole = ends.Where(e => e.End <= cut).Select(e => e.Sequence).ToList();
            var lastWhole = whole.Count > 0 ? whole[^1] : firstInNewest - 1;
            var expected = Enumerable.Range(3, (int)lastWhole - 2).Select(i => (long)i).ToList();
            var isTorn = damaged.Length > (whole.Count > 0 ? ends[whole.Count - 1].End : 0);

            var copyOptions = source.Options(segmentBytes: 1024);
            copyOptions.Directory = copy;
            using (var reopened = new DiskScoreQueue(copyOptions, source.Logger))
            {
                Assert.Equal(expected, Payloads.Sequences(reopened.Peek(100)));
                Assert.Equal(lastWhole + 1, reopened.NextSequence);
                Assert.Equal(isTorn ? 1 : 0, reopened.CorruptSkipped);
                reopened.Append(lastWhole + 1, Payloads.For(lastWhole + 1));
            }

            using (var again = new DiskScoreQueue(copyOptions, source.Logger))
            {
                Assert.Equal(0, again.CorruptSkipped);
                Assert.Equal([.. expected, lastWhole + 1], Payloads.Sequences(again.Peek(100)));
                Assert.Equal(Payloads.For(lastWhole + 1), again.Peek(100)[^1].Payload.ToArray());
            }

            Directory.Delete(copy, recursive: true);
        }
    }
}
