using EdgeEmotion.Tests;
using Xunit.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>The durable queue on a full disk (<see cref="SmallDisk"/>) in front of a real mosquitto.</summary>
public sealed class MqttDiskFullTests(ITestOutputHelper output) : IDisposable
{
    private readonly QueueFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Scores_go_straight_to_a_connected_broker_once_each_and_failed_acknowledgements_cause_no_resends()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, "edgeemo/v1/+/scores");
        var disk = new SmallDisk(folder.Path);
        using var queue = new EdgeEmotion.EdgeAgent.Publishing.DiskScoreQueue(folder.Options(), folder.Logger, null, disk);
        Append(queue, 3);
        disk.Fill(); // every later score and every acknowledgement is refused by the disk

        var publisher = new EdgeEmotion.EdgeAgent.Publishing.MqttPublisher(PublisherHarness.Options(broker.Uri), PublisherHarness.DeviceId, queue, new TestLogger<EdgeEmotion.EdgeAgent.Publishing.MqttPublisher>(output));
        await using (publisher)
        {
            var run = publisher.RunAsync(CancellationToken.None);
            Append(queue, 20);
            await dashboard.WaitForAsync(m => m.Count >= 23, "all 23 scores");
            await Eventually.WaitUntilAsync(() => queue.Depth == 0, "every score acknowledged");
            Append(queue, 5);
            await dashboard.WaitForAsync(m => m.Count >= 28, "5 more");

            var received = dashboard.Messages.Select(Received.Seq).ToList();
            Assert.Equal(Enumerable.Range(1, 28).Select(i => (long)i), received); // in order, none twice
            Assert.Equal(0, publisher.Reconnects);
            Assert.Equal(0, queue.Dropped);
            Assert.Equal(0, queue.DroppedUnwritable);
            await publisher.StopAsync(CancellationToken.None);
            await run;
        }
    }

    private static void Append(EdgeEmotion.EdgeAgent.Publishing.DiskScoreQueue queue, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var sequence = queue.NextSequence;
            queue.Append(sequence, TestScores.Payload(sequence, PublisherHarness.DeviceId));
        }
    }
}
