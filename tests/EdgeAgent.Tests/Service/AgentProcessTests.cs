using System.IO.Hashing;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Publishing;
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

        // 2. The broker goes away; the agent keeps scoring into its queue (at least 4 scores the
        //    dashboard has not seen, however slow the machine), then dies by SIGKILL.
        broker.Stop();
        await Eventually.WaitUntilAsync(
            () => HighestQueuedSeq() >= Scores(dashboard.Messages).Max(s => s.Seq) + 4,
            "4 scores queued during the outage",
            diagnostics: () => $"highest queued seq {HighestQueuedSeq()}");
        first.Kill();
        await first.WaitForExitAsync();
        var seenBeforeKill = Scores(dashboard.Messages).Max(s => s.Seq);

        // 3. A new agent starts and queues a score while the broker is still down, then the broker returns.
        var queuedAtKill = HighestQueuedSeq();
        var second = agents.Start(config);
        await Eventually.WaitUntilAsync(() => HighestQueuedSeq() > queuedAtKill, "the new agent's first queued score");
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

    // The highest seq in the queue's segment files, read beside the agent (it shares them for
    // reading); a torn tail is skipped by the scan, a segment deleted meanwhile held only acked seqs.
    private long HighestQueuedSeq()
    {
        var queue = Path.Combine(folder, "queue");
        var highest = 0L;
        foreach (var segment in Directory.Exists(queue) ? Directory.EnumerateFiles(queue, "*" + QueueSegment.Extension) : [])
        {
            try
            {
                var records = SegmentScan.Of(File.ReadAllBytes(segment), new Crc32()).Records;
                highest = Math.Max(highest, records.Count == 0 ? 0 : records.Max(r => r.Sequence));
            }
            catch (FileNotFoundException)
            {
            }
        }

        return highest;
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
