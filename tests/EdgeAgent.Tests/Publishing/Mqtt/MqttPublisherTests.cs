using System.Text;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Streaming;
using Xunit.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>The publisher against a real mosquitto: scores, status, health and OTA requests on the wire.</summary>
public sealed class MqttPublisherTests(ITestOutputHelper output)
{
    // This machine's /sys/class/thermal is not under test (MqttMessageTests reads a stand-in).
    private static readonly ThermalZoneReader NoThermalZones = new(Path.Combine(Path.GetTempPath(), $"edgeemo-no-thermal-{Guid.NewGuid():N}"));

    [Fact]
    public async Task Scores_arrive_in_order_with_contiguous_seq_and_match_the_schema()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, "edgeemo/v1/#");
        var harness = PublisherHarness.Start(PublisherHarness.Options(broker.Uri), output);
        await using (harness)
        {
            // A backlog from before the connection, then scores produced while connected.
            harness.Append(40);
            await Eventually.WaitUntilAsync(() => harness.Publisher.Connected, "the publisher to connect");
            harness.Append(40);

            await dashboard.WaitForAsync(m => m.Count(x => x.Topic == harness.Topics.Scores) >= 80, "80 scores");
            await Eventually.WaitUntilAsync(() => harness.Queue.Depth == 0, "the queue to drain");

            var scores = dashboard.On(harness.Topics.Scores);
            Assert.Equal(Enumerable.Range(0, 80).Select(i => (long)i), scores.Select(Received.Seq));
            Assert.All(scores, s => Assert.False(s.Retain));
            Assert.Equal(80, harness.Publisher.Published);
            Assert.Equal(0, harness.Publisher.Reconnects);
            Assert.Empty(await JsonSchemaCheck.ValidateAsync("scores.schema.json", scores.Select(s => s.Payload)));
        }

        // The clean stop leaves "offline" with a reason; every status on the wire fits its schema.
        await dashboard.WaitForAsync(m => m.Any(x => x.Topic == harness.Topics.Status && x.Payload.Contains("\"offline\"", StringComparison.Ordinal)), "the offline status");
        var statuses = dashboard.On(harness.Topics.Status);
        Assert.Equal(DeviceState.Online, Received.Status(statuses[0]).State);
        Assert.Equal(StatusMessage.StoppedReason, Received.Status(statuses[^1]).Reason);
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("status.schema.json", statuses.Select(s => s.Payload)));
    }

    [Fact]
    public async Task The_schema_check_rejects_a_malformed_score()
    {
        // Proves the validator is not vacuous: a string score, a missing seq, an unknown state.
        var bad = """{"deviceId":"bed-12","producedAt":"2026-11-03T08:15:02.125Z","model":{"id":"a","version":"1","task":"affect"},"clip":1,"clipEnd":0.5,"status":"ok","scores":{"valence":"high"},"modalities":{"visual":{"state":"sleeping"}},"latencyMs":{"fusion":1,"total":2}}""";
        var good = Encoding.UTF8.GetString(TestScores.Payload(0, "bed-12"));

        var problems = await JsonSchemaCheck.ValidateAsync("scores.schema.json", [good, bad]);

        Assert.Contains(problems, p => p.StartsWith("message 1: (root): 'seq' is a required property", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("message 1: scores: {'valence': 'high'} is not valid", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("message 1: modalities/visual/state", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.StartsWith("message 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_changes_are_published_retained_and_health_fits_its_schema()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, "edgeemo/v1/#");
        var options = PublisherHarness.Options(broker.Uri);
        await using var harness = PublisherHarness.Start(options, output);
        await Eventually.WaitUntilAsync(() => harness.Publisher.Connected, "the publisher to connect");

        var model = new ModelDescriptor("affect-tiny", "1.0.0", "affect");
        var modalities = new Dictionary<string, ModalityReport>
        {
            ["visual"] = new(ModalityState.Ok),
            ["audio"] = new(ModalityState.Substituted, MissingReasons.Silent),
        };
        harness.Publisher.SetStatus(StatusMessage.ForModalities(PublisherHarness.DeviceId, model, modalities, new Dictionary<string, SourceKind> { ["visual"] = SourceKind.Device, ["audio"] = SourceKind.Device }, DateTimeOffset.UtcNow));
        await dashboard.WaitForAsync(m => m.Any(x => x.Topic == harness.Topics.Status && x.Payload.Contains("\"degraded\"", StringComparison.Ordinal)), "the degraded status");

        // A dashboard that connects later gets the latest status from the broker (retained).
        await using (var late = await MqttTestSubscriber.ConnectAsync(broker.Port, harness.Topics.Status))
        {
            await late.WaitForAsync(m => m.Count > 0, "the retained status");
            var retained = Assert.Single(late.Messages);
            Assert.True(retained.Retain);
            var status = Received.Status(retained);
            Assert.Equal(DeviceState.Degraded, status.State);
            Assert.Equal(model, status.Model);
            Assert.Equal(ModalityStatusState.Substituted, status.Modalities["audio"].State);
            Assert.Equal(MissingReasons.Silent, status.Modalities["audio"].Reason);
        }

        // Health every interval through the reporter, with real figures from the queue and publisher.
        var latencies = new StageLatencyWindow();
        latencies.Add("visualBackbone", 140);
        latencies.Add("visualBackbone", 150);
        var builder = new HealthMessageBuilder(PublisherHarness.DeviceId, harness.Queue, harness.Publisher, NoThermalZones, latencies);
        var reporter = new HealthReporter(options, harness.Publisher, () => builder.Build(
            new Dictionary<string, string> { ["visual"] = "cpu", ["fusion"] = "cpu" },
            new Dictionary<string, long> { ["visual"] = 3 }));
        using var stopHealth = new CancellationTokenSource();
        var healthLoop = reporter.RunAsync(stopHealth.Token);
        await dashboard.WaitForAsync(m => m.Count(x => x.Topic == harness.Topics.Health) >= 2, "two health messages");
        await stopHealth.CancelAsync();
        await healthLoop;

        var health = dashboard.On(harness.Topics.Health);
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("health.schema.json", health.Select(h => h.Payload)));
        var first = PublishingJson.DeserializeHealth(Encoding.UTF8.GetBytes(health[0].Payload))!;
        Assert.True(first.Mqtt.Connected);
        Assert.Equal(145, first.StageLatencyMs["visualBackbone"]);
        Assert.All(health, h => Assert.False(h.Retain));
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("status.schema.json", dashboard.On(harness.Topics.Status).Select(s => s.Payload)));
    }

    [Fact]
    public async Task Ota_requests_are_received_and_kept_for_the_handler()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var fleet = await MqttTestSubscriber.ConnectAsync(broker.Port, "edgeemo/v1/+/status");
        await using var harness = PublisherHarness.Start(PublisherHarness.Options(broker.Uri), output);

        // The publisher subscribes just after publishing its status, so a first request may beat
        // the subscription (and be lost, as MQTT does for nobody listening): repeat until one lands.
        await fleet.WaitForAsync(m => m.Count > 0, "the online status");
        await Eventually.WaitUntilAsync(() => harness.Publisher.Connected, "the publisher to connect");
        await Eventually.WaitUntilAsync(
            async () =>
            {
                await fleet.PublishAsync(harness.Topics.OtaRequest, """{"bundle":"https://fleet.example/affect-1.1.0.tar"}""");
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                try
                {
                    await harness.Publisher.OtaRequests.WaitToReadAsync(wait.Token);
                    return true;
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            },
            "an OTA request to reach the publisher");

        Assert.True(harness.Publisher.OtaRequests.TryRead(out var request));
        Assert.Contains("affect-1.1.0", Encoding.UTF8.GetString(request.Payload.Span), StringComparison.Ordinal);
        Assert.Contains(harness.Log.Entries, e => e.Message.StartsWith("OTA request received", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_is_skipped_while_disconnected()
    {
        var options = PublisherHarness.Options(new Uri("mqtt://127.0.0.1:9"));
        await using var harness = PublisherHarness.Start(options, output);
        var builder = new HealthMessageBuilder(PublisherHarness.DeviceId, harness.Queue, harness.Publisher, NoThermalZones, new StageLatencyWindow());

        await harness.Publisher.PublishHealthAsync(builder.Build(new Dictionary<string, string>(), new Dictionary<string, long>()), CancellationToken.None);

        Assert.False(harness.Publisher.Connected);
        Assert.Contains(harness.Log.Entries, e => e.Message == "Health message skipped: not connected");
    }
}
