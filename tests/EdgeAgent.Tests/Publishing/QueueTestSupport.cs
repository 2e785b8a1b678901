using EdgeEmotion.Tests;
using EdgeEmotion.EdgeAgent.Publishing;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing;

/// <summary>A temporary queue folder, deleted on dispose, and the options and files of a queue in it.</summary>
internal sealed class QueueFolder : IDisposable
{
    public QueueFolder(string? root = null)
    {
        Path = System.IO.Path.Combine(root ?? System.IO.Path.GetTempPath(), $"edgeemo-queue-{Guid.NewGuid():N}");
    }

    public string Path { get; }

    public ListLogger<DiskScoreQueue> Logger { get; } = new();

    public ScoreQueueOptions Options(int maxMessages = 1000, long maxBytes = 1024 * 1024, long segmentBytes = 64 * 1024, QueueDurability durability = QueueDurability.EveryMessage) =>
        new()
        {
            Directory = Path,
            MaxMessages = maxMessages,
            MaxBytes = maxBytes,
            SegmentBytes = segmentBytes,
            Durability = durability,
        };

    public DiskScoreQueue Open(ScoreQueueOptions? options = null, TimeProvider? time = null) =>
        new(options ?? Options(), Logger, time);

    /// <summary>Segment files, oldest first.</summary>
    public string[] Segments() =>
        [.. Directory.GetFiles(Path, "*.seg").Order(StringComparer.Ordinal)];

    /// <summary>A copy of this folder at <paramref name="target"/> (a power cut's snapshot of the disk).</summary>
    public void CopyTo(string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path))
        {
            File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)));
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}

/// <summary>Payloads that say which sequence they belong to.</summary>
internal static class Payloads
{
    public static byte[] For(long sequence, int size = 0)
    {
        var text = $"{{\"seq\":{sequence}}}";
        return size == 0 ? System.Text.Encoding.UTF8.GetBytes(text) : System.Text.Encoding.UTF8.GetBytes(text.PadRight(size, ' '));
    }

    public static void AppendMany(DiskScoreQueue queue, int count, int size = 0)
    {
        for (var i = 0; i < count; i++)
        {
            var sequence = queue.NextSequence;
            queue.Append(sequence, For(sequence, size));
        }
    }

    public static long[] Sequences(IReadOnlyList<QueuedMessage> messages) => [.. messages.Select(m => m.Sequence)];
}

/// <summary>A clock that moves only when told, firing due timers on the caller's thread.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly List<ManualTimer> timers = [];
    private DateTimeOffset now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => now;

    public override long GetTimestamp() => now.UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        now += by;
        foreach (var timer in timers.ToArray())
        {
            timer.FireIfDue(now);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private DateTimeOffset? due;
        private TimeSpan period = Timeout.InfiniteTimeSpan;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            due = dueTime == Timeout.InfiniteTimeSpan ? null : clock.now + dueTime;
            this.period = period;
            return true;
        }

        public void FireIfDue(DateTimeOffset now)
        {
            if (due is { } at && at <= now)
            {
                due = period == Timeout.InfiniteTimeSpan ? null : at + period;
                callback(state);
            }
        }

        public void Dispose() => due = null;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

