using EdgeEmotion.EdgeAgent.Publishing;
using Xunit.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>The retained status says "offline" however the device goes away.</summary>
public sealed class MqttLastWillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Status_turns_offline_when_the_connection_dies_and_after_a_clean_stop()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, "edgeemo/v1/#");
        await using var cable = new SeverableTcpProxy(broker.Port);
        var harness = PublisherHarness.Start(PublisherHarness.Options(cable.Uri), output);
        await using (harness)
        {
            var status = harness.Topics.Status;
            await dashboard.WaitForAsync(m => Statuses(m, status).Any(s => s.State == DeviceState.Online), "the online status");

            // The device vanishes without a goodbye: its TCP connection is reset mid-stream (the
            // broker sees no DISCONNECT) and it cannot come back, as after a power cut.
            cable.Sever();
            await dashboard.WaitForAsync(m => Statuses(m, status).Any(s => s.State == DeviceState.Offline), "the last will");
            var will = Statuses(dashboard.Messages, status).Last();
            Assert.Equal(StatusMessage.ConnectionLostReason, will.Reason);
            Assert.Null(will.Since);
            Assert.Equal(PublisherHarness.DeviceId, will.DeviceId);

            // A dashboard that opens now is told by the broker (retained).
            await using (var late = await MqttTestSubscriber.ConnectAsync(broker.Port, status))
            {
                await late.WaitForAsync(m => m.Count > 0, "the retained status");
                var retained = Assert.Single(late.Messages);
                Assert.True(retained.Retain);
                Assert.Equal(DeviceState.Offline, Received.Status(retained).State);
                Assert.Equal(StatusMessage.ConnectionLostReason, Received.Status(retained).Reason);
            }

            // The cable comes back: the device reconnects on its own and is online again.
            var onlineSoFar = Statuses(dashboard.Messages, status).Count(s => s.State == DeviceState.Online);
            cable.Resume();
            await dashboard.WaitForAsync(m => Statuses(m, status).Count(s => s.State == DeviceState.Online) > onlineSoFar, "online again");
            Assert.Equal(1, harness.Publisher.Reconnects);
        }

        // Clean stop: one retained "offline"/"stopped", then DISCONNECT, so no last will follows.
        // A marker sent afterwards on the dashboard's own connection orders "everything before".
        var stopped = Statuses(dashboard.Messages, harness.Topics.Status).Last();
        Assert.Equal(DeviceState.Offline, stopped.State);
        Assert.Equal(StatusMessage.StoppedReason, stopped.Reason);
        Assert.NotNull(stopped.Since);
        var marker = $"{harness.Topics.Status}-test-marker";
        await dashboard.PublishAsync(marker, "end");
        await dashboard.WaitForAsync(m => m.Any(x => x.Topic == marker), "the marker");
        var afterStop = dashboard.Messages.TakeWhile(m => m.Topic != marker).Reverse().TakeWhile(m => !IsOnline(m, harness.Topics.Status)).Where(m => m.Topic == harness.Topics.Status).ToList();
        Assert.Single(afterStop);
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("status.schema.json", dashboard.On(harness.Topics.Status).Select(s => s.Payload)));

        await using var afterwards = await MqttTestSubscriber.ConnectAsync(broker.Port, harness.Topics.Status);
        await afterwards.WaitForAsync(m => m.Count > 0, "the retained status after the stop");
        Assert.Equal(StatusMessage.StoppedReason, Received.Status(afterwards.Messages[0]).Reason);
    }

    [Fact]
    public async Task Cancelling_the_loop_ends_it_with_a_goodbye()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, "edgeemo/v1/+/status");
        using var stop = new CancellationTokenSource();
        var log = new TestLogger<MqttPublisher>(output);
        var queue = new MemoryScoreQueue();
        var publisher = new MqttPublisher(PublisherHarness.Options(broker.Uri), PublisherHarness.DeviceId, queue, log);
        var run = publisher.RunAsync(stop.Token);
        await Eventually.WaitUntilAsync(() => publisher.Connected, "the publisher to connect");

        // The host cancels the loop's token (service shutdown): the loop ends with the goodbye.
        await stop.CancelAsync();
        await run;
        Assert.False(publisher.Connected);
        await publisher.DisposeAsync();

        await dashboard.WaitForAsync(m => m.Any(x => x.Payload.Contains("\"stopped\"", StringComparison.Ordinal)), "the stopped status");
        Assert.Contains(log.Entries, e => e.Message.StartsWith("Disconnected from MQTT broker", StringComparison.Ordinal));
    }

    private static List<StatusMessage> Statuses(IEnumerable<ReceivedMessage> messages, string topic) =>
        messages.Where(m => m.Topic == topic).Select(Received.Status).ToList();

    private static bool IsOnline(ReceivedMessage message, string topic) =>
        message.Topic == topic && Received.Status(message).State != DeviceState.Offline;
}
