using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Service;

/// <summary>
/// `edgeemo run` on synthetic sources (meant for the demo, soak and tests) against a real
/// mosquitto: every score and every status on the wire says, per modality, that its source is
/// synthetic, and the log warns once at start naming the modalities.
/// </summary>
public sealed class SimulatedSourcesProcessTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-simulated-").FullName;
    private readonly AgentProcesses agents = new();

    public void Dispose()
    {
        agents.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_run_on_synthetic_sources_marks_every_score_and_status_and_warns_at_start()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, "edgeemo/v1/sim/#");
        var log = new ConcurrentQueue<string>();

        var agent = agents.Start(WriteConfig(broker.Port), log);
        await dashboard.WaitForAsync(
            m => m.Count(x => x.Topic == "edgeemo/v1/sim/scores") >= 3 && m.Any(x => x.Topic == "edgeemo/v1/sim/health"), "the first scores and health");
        AgentProcesses.Terminate(agent);
        await agent.WaitForExitAsync();
        await dashboard.WaitForAsync(m => m.Any(x => x.Topic == "edgeemo/v1/sim/status" && x.Payload.Contains("\"stopped\"", StringComparison.Ordinal)), "the clean stop's status");

        var scores = dashboard.On("edgeemo/v1/sim/scores");
        var statuses = dashboard.On("edgeemo/v1/sim/status");
        Assert.NotEmpty(statuses);
        Assert.All(scores.Concat(statuses), m =>
        {
            var modalities = JsonDocument.Parse(m.Payload).RootElement.GetProperty("modalities");
            Assert.Equal(["audio", "visual"], modalities.EnumerateObject().Select(p => p.Name).Order());
            Assert.All(modalities.EnumerateObject(), p => Assert.Equal("synthetic", p.Value.GetProperty("source").GetString()));
        });
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("scores.schema.json", scores.Select(s => s.Payload)));
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("status.schema.json", statuses.Select(s => s.Payload)));

        // Health names modalities as every other message does (visual, not video).
        var health = JsonDocument.Parse(dashboard.On("edgeemo/v1/sim/health")[0].Payload).RootElement;
        Assert.Equal(["audio", "visual"], health.GetProperty("droppedSamples").EnumerateObject().Select(p => p.Name).Order());

        var warning = Assert.Single(log, l => l.Contains("Not a patient's signal", StringComparison.Ordinal));
        Assert.StartsWith("warn", warning, StringComparison.Ordinal);
        Assert.Contains("visual=synthetic, audio=synthetic", warning, StringComparison.Ordinal);
    }

    private string WriteConfig(int port)
    {
        var config = new JsonObject
        {
            ["deviceId"] = "sim",
            ["pack"] = TestPaths.Pack("affect-tiny"),
            ["sources"] = new JsonObject { ["visual"] = new JsonObject { ["type"] = "synthetic" }, ["audio"] = new JsonObject { ["type"] = "synthetic" } },
            ["inference"] = new JsonObject { ["providers"] = new JsonArray("cpu") },
            ["streaming"] = new JsonObject { ["hop"] = 8 },
            ["mqtt"] = new JsonObject { ["broker"] = $"mqtt://127.0.0.1:{port}", ["healthInterval"] = "00:00:01" },
            ["queue"] = new JsonObject { ["directory"] = Path.Combine(folder, "queue") },
        };
        var path = Path.Combine(folder, "edgeemo.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }
}
