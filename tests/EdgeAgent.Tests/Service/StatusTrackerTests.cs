using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.EdgeAgent.Service;
using EdgeEmotion.EdgeAgent.Tests.Publishing;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Service;

/// <summary>The retained status follows the queue: writability at once, the drop count at most once per interval.</summary>
public sealed class StatusTrackerTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly QueueFolder folder = new();
    private readonly SmallDisk disk;
    private readonly ManualTimeProvider time = new();
    private readonly DiskScoreQueue queue;
    private readonly StatusTracker tracker;

    public StatusTrackerTests()
    {
        disk = new SmallDisk(folder.Path);
        queue = new DiskScoreQueue(folder.Options(maxMessages: 2), folder.Logger, time, disk);
        var manifest = ModelPackLoader.Load(TestPaths.Pack("affect-tiny")).Manifest;
        tracker = new StatusTracker("bed-12", manifest, manifest.Modalities.ToDictionary(m => m.Name, _ => SourceKind.Device), time);
    }

    public void Dispose()
    {
        queue.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void The_first_score_publishes_the_queue_state()
    {
        Assert.True(tracker.UpdateQueue(queue, Interval));
        Assert.Equal(new QueueStatus(true, 0), tracker.Current.Queue);
        Assert.False(tracker.UpdateQueue(queue, Interval));
    }

    [Fact]
    public void A_disk_that_refuses_writes_changes_the_status_at_once_and_back_when_it_takes_them()
    {
        tracker.UpdateQueue(queue, Interval);
        disk.Fill();
        Append(1);

        Assert.True(tracker.UpdateQueue(queue, Interval));
        Assert.Equal(new QueueStatus(false, 0, SmallDisk.NoSpace), tracker.Current.Queue);

        disk.Capacity = null;
        Append(1);
        Assert.True(tracker.UpdateQueue(queue, Interval));
        Assert.Equal(new QueueStatus(true, 0), tracker.Current.Queue);
    }

    [Fact]
    public void A_growing_drop_count_is_republished_at_most_once_per_interval()
    {
        tracker.UpdateQueue(queue, Interval);
        Append(3); // MaxMessages 2: one dropped

        Assert.False(tracker.UpdateQueue(queue, Interval));
        time.Advance(Interval);
        Assert.True(tracker.UpdateQueue(queue, Interval));
        Assert.Equal(1, tracker.Current.Queue!.Dropped);
    }

    [Fact]
    public void The_queue_state_survives_a_change_of_the_modalities()
    {
        disk.Fill();
        Append(1);
        tracker.UpdateQueue(queue, Interval);

        Assert.True(tracker.Update(new ScoreOutput(0, TimeSpan.FromSeconds(1), null, new Dictionary<string, ModalityReport> { ["visual"] = new(ModalityState.Ok) }, new StageLatency(new Dictionary<string, double>(), new Dictionary<string, double>(), 0, 0))));
        Assert.False(tracker.Current.Queue!.Writable);
    }

    private void Append(int count) => Payloads.AppendMany(queue, count);
}
