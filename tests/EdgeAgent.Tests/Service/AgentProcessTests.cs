using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Service;

/// <summary>
/// The real agent process (`edgeemo run`) against a real mosquitto: the broker goes down, the agent
/// is SIGKILLed while scores wait in its queue, a new agent starts, the broker returns. Every score
/// arrives, seq continues across the restart, and the retained status says offline when the agent
/// dies without a goodbye.
/// </summary>
public sealed class AgentProcessTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-agent-").FullName;
    private readonly AgentProcesses agents = new();

    public void Dispose()
    {
        agents.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Scores_survive_a_broker_outage_and_a_SIGKILL_and_seq_continues()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, "edgeemo/v1/e2e/#");
        var config = WriteConfig(broker.Port);

        // 1. Scores flow.
        var first = agents.Start(config);
        await dashboard.WaitForAsync(m => Scores(m).Count >= 4, "the first scores");

        // 2. The broker goes away; the agent keeps scoring into its queue, then dies by SIGKILL.
        broker.Stop();
        await Task.Delay(TimeSpan.FromSeconds(3));
        first.Kill();
        await first.WaitForExitAsync();
        var seenBeforeKill = Scores(dashboard.Messages).Max(s => s.Seq);

        // 3. A new agent starts while the broker is still down, then the broker returns.
        var second = agents.Start(config);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await broker.RestartAsync();
        await dashboard.ReconnectAsync();

        // 4. Everything queued arrives, and the new run's clips (numbered from 0 again) carry later seqs.
        await dashboard.WaitForAsync(
            m => Scores(m) is var s && s.Any(x => x.Seq > seenBeforeKill && x.Clip >= 3 && s.Where(y => y.Seq > seenBeforeKill).Min(y => y.Clip) == 0)
                 && Contiguous(s),
            "every score of both runs, contiguous");
        var scores = Scores(dashboard.Messages);
        Assert.True(Contiguous(scores), string.Join(",", scores.Select(s => s.Seq)));
        var firstSeen = scores.DistinctBy(s => s.Seq).Select(s => s.Seq).ToList();
        Assert.Equal(firstSeen.Order(), firstSeen); // in order; repeats only of seqs already seen (QoS 1)
        var restart = scores.First(s => s.Seq > seenBeforeKill && s.Clip == 0);
        Assert.True(restart.Seq > seenBeforeKill + 3, "the killed agent's queued scores came before the new run's");
        var errors = await JsonSchemaCheck.ValidateAsync("scores.schema.json", dashboard.On("edgeemo/v1/e2e/scores").Select(m => m.Payload));
        Assert.Empty(errors);

        // 5. Killed with the broker up: the broker's last will turns the retained status offline.
        second.Kill();
        await second.WaitForExitAsync();
        await dashboard.WaitForAsync(
            m => m.LastOrDefault(x => x.Topic == "edgeemo/v1/e2e/status") is { } s && JsonDocument.Parse(s.Payload).RootElement.GetProperty("state").GetString() == "offline",
            "the last will's offline status");
    }

    private static bool Contiguous(IReadOnlyList<(long Seq, long Clip)> scores)
    {
        var seqs = scores.Select(s => s.Seq).Distinct().Order().ToList();
        return seqs.Count > 0 && seqs[0] == 1 && seqs[^1] == seqs.Count;
    }

    private static List<(long Seq, long Clip)> Scores(IEnumerable<ReceivedMessage> messages) => messages
        .Where(m => m.Topic == "edgeemo/v1/e2e/scores")
        .Select(m => JsonDocument.Parse(m.Payload).RootElement)
        .Select(e => (e.GetProperty("seq").GetInt64(), e.GetProperty("clip").GetInt64()))
        .ToList();

    private string WriteConfig(int port)
    {
        var config = new JsonObject
        {
            ["deviceId"] = "e2e",
            ["pack"] = TestPaths.Pack("affect-tiny"),
            ["sources"] = new JsonObject { ["visual"] = new JsonObject { ["type"] = "synthetic" }, ["audio"] = new JsonObject { ["type"] = "synthetic" } },
            ["inference"] = new JsonObject { ["providers"] = new JsonArray("cpu") },
            ["streaming"] = new JsonObject { ["hop"] = 8 },
            ["mqtt"] = new JsonObject
            {
                ["broker"] = $"mqtt://127.0.0.1:{port}",
                ["healthInterval"] = "00:00:02",
                // Long enough for the test's subscriber to be back before the queue drains.
                ["reconnectMinDelay"] = "00:00:03",
                ["reconnectMaxDelay"] = "00:00:04",
            },
            ["queue"] = new JsonObject { ["directory"] = Path.Combine(folder, "queue") },
        };
        var path = Path.Combine(folder, "edgeemo.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }
}
