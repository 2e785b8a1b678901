using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.EdgeAgent.Tests.Service;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Ota;

/// <summary>
/// OTA over MQTT end to end: the real `edgeemo run` process, a real mosquitto, and a bundle of
/// affect-tiny 1.0.1 served by a local HTTP server. ota/request -> download -> install -> hot
/// reload -> ota/status, with scores flowing throughout (contiguous seq) and the model version in
/// the score messages changing; and a pack that cannot pass the health gate rolled back and marked bad.
/// </summary>
public sealed class OtaLiveProcessTests : IDisposable
{
    private const string Device = "ota-e2e";
    private const string Root = $"edgeemo/v1/{Device}";
    private readonly OtaWorkspace workspace = new();
    private readonly AgentProcesses agents = new();

    public void Dispose()
    {
        agents.Dispose();
        workspace.Dispose();
    }

    [Fact]
    public async Task An_ota_request_hot_reloads_the_new_pack_without_a_gap_in_seq()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, $"{Root}/#");
        var bundle = await File.ReadAllBytesAsync(await workspace.BundleVersionAsync("1.0.1"));
        using var http = new LocalHttpServer(bundle);
        agents.Start(WriteConfig(broker.Port, gateOutputs: 3, gateWithin: "00:01:00"));

        await dashboard.WaitForAsync(m => Scores(m).Count(s => s.Version == "1.0.0") >= 4, "scores from 1.0.0");
        await dashboard.PublishAsync($"{Root}/ota/request", Request(http.Url, bundle, "1.0.1", "r1"));

        await dashboard.WaitForAsync(m => OtaStates(m).Any(IsFinal), "an OTA outcome");
        var states = OtaStates(dashboard.Messages);
        Assert.True(states[^1] == "succeeded", $"{string.Join(" -> ", states)}{Environment.NewLine}{dashboard.Describe()}");
        Assert.Equal(["downloading", "installing", "switching", "gated", "succeeded"], states);

        await dashboard.WaitForAsync(m => Scores(m).Count(s => s.Version == "1.0.1") >= 5, "scores from 1.0.1");
        var scores = Scores(dashboard.Messages).DistinctBy(s => s.Seq).OrderBy(s => s.Seq).ToList();
        Assert.Equal(1, scores[0].Seq);
        Assert.Equal(Enumerable.Range(1, scores.Count).Select(i => (long)i), scores.Select(s => s.Seq));
        var lastOld = scores.FindLastIndex(s => s.Version == "1.0.0");
        var firstNew = scores.FindIndex(s => s.Version == "1.0.1");
        Assert.True(lastOld + 1 == firstNew, "the version changes once, between two consecutive seqs");
        // Clip numbers continue across the switch (the new pipeline's are shifted), and the new pack scores from its first output.
        Assert.Equal(Enumerable.Range((int)scores[0].Clip, scores.Count).Select(i => (long)i), scores.Select(s => s.Clip));
        Assert.All(dashboard.On($"{Root}/scores").Select(m => JsonDocument.Parse(m.Payload).RootElement)
                .Where(e => e.GetProperty("model").GetProperty("version").GetString() == "1.0.1"),
            e => Assert.Equal(JsonValueKind.Object, e.GetProperty("scores").ValueKind));

        Assert.Empty(await JsonSchemaCheck.ValidateAsync("ota-status.schema.json", dashboard.On($"{Root}/ota/status").Select(m => m.Payload)));
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("scores.schema.json", dashboard.On($"{Root}/scores").Select(m => m.Payload)));
        Assert.EndsWith("affect-tiny-1.0.1", workspace.Store.Target("active"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pack_that_fails_the_health_gate_is_rolled_back_reported_and_not_retried()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, $"{Root}/#");
        var bundle = await File.ReadAllBytesAsync(await workspace.BundleVersionAsync("1.0.1"));
        using var http = new LocalHttpServer(bundle);
        // Passes its self-test, but the gate asks for more outputs than can come within 3 s.
        agents.Start(WriteConfig(broker.Port, gateOutputs: 100_000, gateWithin: "00:00:03"));

        await dashboard.WaitForAsync(m => Scores(m).Count >= 3, "the first scores");
        await dashboard.PublishAsync($"{Root}/ota/request", Request(http.Url, bundle, "1.0.1", "bad-1"));
        await dashboard.WaitForAsync(m => OtaStates(m).Any(IsFinal), "an OTA outcome");
        var last = JsonDocument.Parse(dashboard.On($"{Root}/ota/status")[^1].Payload).RootElement;
        Assert.Equal("rolled-back", last.GetProperty("state").GetString());
        Assert.Contains("health gate", last.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("bad-1", last.GetProperty("requestId").GetString());

        // Scoring goes back to 1.0.0, seq still contiguous; the store's active is the old pack again.
        var before = Scores(dashboard.Messages).Max(s => s.Seq);
        await dashboard.WaitForAsync(m => Scores(m).Any(s => s.Seq > before + 3 && s.Version == "1.0.0"), "scores from 1.0.0 again");
        var scores = Scores(dashboard.Messages).DistinctBy(s => s.Seq).OrderBy(s => s.Seq).ToList();
        Assert.Equal(Enumerable.Range(1, scores.Count).Select(i => (long)i), scores.Select(s => s.Seq));
        Assert.EndsWith("affect-tiny-1.0.0", workspace.Store.Target("active"), StringComparison.Ordinal);
        Assert.Contains("1.0.1", await File.ReadAllTextAsync(Path.Combine(workspace.State, "ota-bad.json")), StringComparison.Ordinal);

        // The same version again is refused without a download.
        await dashboard.PublishAsync($"{Root}/ota/request", Request(http.Url, bundle, "1.0.1", "bad-2"));
        await dashboard.WaitForAsync(m => m.Any(x => x.Topic == $"{Root}/ota/status" && x.Payload.Contains("\"bad-2\"", StringComparison.Ordinal)), "the refusal");
        var refusal = JsonDocument.Parse(dashboard.On($"{Root}/ota/status")[^1].Payload).RootElement;
        Assert.Equal("failed", refusal.GetProperty("state").GetString());
        Assert.Contains("marked bad", refusal.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Another name for the same bundle, or the same pack version bundled again, is the same bad pack.
        var rebundled = await File.ReadAllBytesAsync(await workspace.BundleVersionAsync("1.0.1"));
        Assert.NotEqual(bundle, rebundled);
        using var http2 = new LocalHttpServer(rebundled);
        foreach (var (url, bytes, version, id) in new[] { (http.Url, bundle, "1.0.1-retry", "bad-3"), (http2.Url, rebundled, "v1.0.1", "bad-4"), (http2.Url, rebundled, "1.0.2", "bad-5") })
        {
            await dashboard.PublishAsync($"{Root}/ota/request", Request(url, bytes, version, id));
            var final = await FinalStatusAsync(dashboard, id);
            Assert.True(final.GetProperty("state").GetString() == "failed", final.ToString());
            Assert.Contains("affect-tiny 1.0.1", final.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Contains("marked bad", final.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        Assert.EndsWith("affect-tiny-1.0.0", workspace.Store.Target("active"), StringComparison.Ordinal);
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("ota-status.schema.json", dashboard.On($"{Root}/ota/status").Select(m => m.Payload)));
    }

    [Fact]
    public async Task Every_request_ends_with_a_final_status_whatever_fails()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, $"{Root}/#");
        var wrongShape = await File.ReadAllBytesAsync(workspace.SignedBundle([("manifest.json", "42"u8.ToArray())]));
        using var shapeServer = new LocalHttpServer(wrongShape);
        using var redirect = new LocalHttpServer([]) { RedirectTo = "file:///etc/passwd" };
        var agent = agents.Start(WriteConfig(broker.Port, gateOutputs: 3, gateWithin: "00:01:00"));
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        agent.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        agent.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        await dashboard.WaitForAsync(m => Scores(m).Count >= 2, "the first scores");

        await dashboard.PublishAsync($"{Root}/ota/request", Request(redirect.Url, wrongShape, "1.0.1", "redirected"));
        var redirected = await FinalStatusAsync(dashboard, "redirected");
        Assert.Equal("failed", redirected.GetProperty("state").GetString());
        Assert.Contains("redirect to 'file:///etc/passwd' refused: only http and https", redirected.GetProperty("reason").GetString(), StringComparison.Ordinal);

        await dashboard.PublishAsync($"{Root}/ota/request", Request(shapeServer.Url, wrongShape, "1.0.1", "shape"));
        var shape = await FinalStatusAsync(dashboard, "shape");
        Assert.Equal("failed", shape.GetProperty("state").GetString());
        Assert.Contains("install refused (pack)", shape.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("manifest.json $: expected an object, not a number", shape.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var longId = new string('x', 5000);
        await dashboard.PublishAsync($"{Root}/ota/request", Request(shapeServer.Url, wrongShape, "1.0.1", longId));
        var tooLong = await FinalStatusAsync(dashboard, new string('x', 128) + "...");
        Assert.Contains("requestId is 5000 characters; at most 128", tooLong.GetProperty("reason").GetString(), StringComparison.Ordinal);

        await dashboard.PublishAsync($"{Root}/ota/request", Request(shapeServer.Url, new byte[1], "1.0.1", "evil\n\u001b[2Jid"));
        var escaped = await FinalStatusAsync(dashboard, "evil\\u000a\\u001b[2Jid");
        Assert.Contains("sha256 mismatch", escaped.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Scoring went on throughout; nothing of the refused bundles is left in the state folder.
        var before = Scores(dashboard.Messages).Max(s => s.Seq);
        await dashboard.WaitForAsync(m => Scores(m).Any(s => s.Seq > before + 1), "scores after the refusals");
        Assert.Empty(Directory.EnumerateFileSystemEntries(workspace.Store.PacksDirectory, ".staging-*"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(workspace.State, "downloads")));
        Assert.DoesNotContain(log, line => line.Contains('\u001b', StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.Contains("   at ", StringComparison.Ordinal));
        Assert.Contains(log, line => line.Contains("evil\\u000a\\u001b[2Jid", StringComparison.Ordinal));
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("ota-status.schema.json", dashboard.On($"{Root}/ota/status").Select(m => m.Payload)));
    }

    [Fact]
    public async Task Thirty_requests_at_once_each_get_a_final_status()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, $"{Root}/#");
        var body = new byte[200_000];
        using var http = new LocalHttpServer(body);
        agents.Start(WriteConfig(broker.Port, gateOutputs: 3, gateWithin: "00:01:00"));
        await dashboard.WaitForAsync(m => Scores(m).Count >= 2, "the first scores");

        // Each asks for a sha256 the body does not have: a download, then a refusal.
        var ids = Enumerable.Range(1, 30).Select(i => $"burst-{i}").ToList();
        await Task.WhenAll(ids.Select(id => dashboard.PublishAsync($"{Root}/ota/request", new JsonObject
        {
            ["requestId"] = id,
            ["url"] = http.Url.ToString(),
            ["sha256"] = new string('0', 64),
            ["version"] = "1.0.1",
        }.ToJsonString())));

        await dashboard.WaitForAsync(m => ids.All(id => FinalOf(m, id) is not null), "a final status for each of 30 requests");
        var finals = ids.Select(id => FinalOf(dashboard.Messages, id)!.Value).ToList();
        Assert.All(finals, f => Assert.Equal("failed", f.GetProperty("state").GetString()));
        Assert.All(finals, f => Assert.Matches("superseded by request 'burst-[0-9]+'|sha256 mismatch", f.GetProperty("reason").GetString()));
        Assert.All(ids, id => Assert.Single(dashboard.On($"{Root}/ota/status"), m => IsFinal(StateOf(m)) && IdOf(m) == id));
    }

    [Fact]
    public async Task A_final_status_that_ends_while_the_broker_is_away_is_published_once_it_is_back()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, $"{Root}/#");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var http = new LocalHttpServer(new byte[1000]) { Hold = release.Task };
        var agent = agents.Start(WriteConfig(broker.Port, gateOutputs: 3, gateWithin: "00:01:00"));
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        agent.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        agent.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        await dashboard.WaitForAsync(m => Scores(m).Count >= 2, "the first scores");

        await dashboard.PublishAsync($"{Root}/ota/request", Request(http.Url, new byte[1], "1.0.1", "away"));
        await dashboard.WaitForAsync(m => OtaStates(m).Contains("downloading"), "the download to start");
        broker.Stop();
        release.SetResult(); // the download ends in a sha256 mismatch while no broker listens
        await Eventually.WaitUntilAsync(() => log.Any(l => l.Contains("OTA away: failed", StringComparison.Ordinal)), "the agent to end the request");

        await broker.RestartAsync();
        await dashboard.ReconnectAsync();
        var final = await FinalStatusAsync(dashboard, "away");
        Assert.Equal("failed", final.GetProperty("state").GetString());
        Assert.Contains("sha256 mismatch", final.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> FinalStatusAsync(MqttTestSubscriber dashboard, string id)
    {
        await dashboard.WaitForAsync(m => FinalOf(m, id) is not null, $"a final status for request '{id}'");
        return FinalOf(dashboard.Messages, id)!.Value;
    }

    private static JsonElement? FinalOf(IEnumerable<ReceivedMessage> messages, string id) => messages
        .Where(m => m.Topic == $"{Root}/ota/status" && IdOf(m) == id && IsFinal(StateOf(m)))
        .Select(m => (JsonElement?)JsonDocument.Parse(m.Payload).RootElement.Clone())
        .FirstOrDefault();

    private static string? IdOf(ReceivedMessage m) => JsonDocument.Parse(m.Payload).RootElement.GetProperty("requestId").GetString();

    private static string StateOf(ReceivedMessage m) => JsonDocument.Parse(m.Payload).RootElement.GetProperty("state").GetString()!;

    [Fact]
    public async Task A_run_that_stopped_during_the_health_gate_is_rolled_back_at_the_next_start()
    {
        // 1.0.1 was switched to and the agent died before its gate passed (ota-pending.json remains).
        await workspace.InstallOkAsync("1.0.0");
        await workspace.InstallOkAsync("1.0.1");
        await File.WriteAllTextAsync(Path.Combine(workspace.State, "ota-pending.json"),
            "{\"deviceId\":\"ota-e2e\",\"requestId\":\"crashed-1\",\"version\":\"1.0.1\",\"state\":\"gated\",\"progress\":null,\"reason\":null,\"at\":\"2026-11-22T15:00:00.000Z\"}");
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, $"{Root}/#");
        agents.Start(WriteConfig(broker.Port, gateOutputs: 3, gateWithin: "00:01:00"));

        await dashboard.WaitForAsync(m => OtaStates(m).Any(IsFinal) && Scores(m).Count >= 3, "the recovery report and scores");
        var report = JsonDocument.Parse(dashboard.On($"{Root}/ota/status")[^1].Payload).RootElement;
        Assert.Equal("rolled-back", report.GetProperty("state").GetString());
        Assert.Equal("crashed-1", report.GetProperty("requestId").GetString());
        Assert.All(Scores(dashboard.Messages), s => Assert.Equal("1.0.0", s.Version));
        Assert.EndsWith("affect-tiny-1.0.0", workspace.Store.Target("active"), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(workspace.State, "ota-pending.json")));
        Assert.Contains("1.0.1", await File.ReadAllTextAsync(Path.Combine(workspace.State, "ota-bad.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bundle_from_a_trusted_key_outside_allowed_signers_is_refused_and_scoring_goes_on()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, $"{Root}/#");
        var bundle = await File.ReadAllBytesAsync(await workspace.BundleVersionAsync("1.0.1"));
        using var http = new LocalHttpServer(bundle);
        agents.Start(WriteConfig(broker.Port, gateOutputs: 3, gateWithin: "00:01:00", allowedSigners: new string('a', 64)));

        await dashboard.WaitForAsync(m => Scores(m).Count >= 3, "the first scores");
        await dashboard.PublishAsync($"{Root}/ota/request", Request(http.Url, bundle, "1.0.1", "r-signer"));
        await dashboard.WaitForAsync(m => OtaStates(m).Any(IsFinal), "an OTA outcome");
        var last = JsonDocument.Parse(dashboard.On($"{Root}/ota/status")[^1].Payload).RootElement;
        Assert.Equal("failed", last.GetProperty("state").GetString());
        Assert.Contains("install refused (signature)", last.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var before = Scores(dashboard.Messages).Max(s => s.Seq);
        await dashboard.WaitForAsync(m => Scores(m).Any(s => s.Seq > before + 2), "scores after the refusal");
        Assert.All(Scores(dashboard.Messages), s => Assert.Equal("1.0.0", s.Version));
    }

    private static bool IsFinal(string state) => state is "succeeded" or "failed" or "rolled-back";

    private static string Request(Uri url, byte[] bundle, string version, string id) => new JsonObject
    {
        ["requestId"] = id,
        ["url"] = url.ToString(),
        ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bundle)),
        ["version"] = version,
    }.ToJsonString();

    private static List<string> OtaStates(IEnumerable<ReceivedMessage> messages) => messages
        .Where(m => m.Topic == $"{Root}/ota/status")
        .Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("state").GetString()!)
        .ToList();

    private static List<(long Seq, long Clip, string Version)> Scores(IEnumerable<ReceivedMessage> messages) => messages
        .Where(m => m.Topic == $"{Root}/scores")
        .Select(m => JsonDocument.Parse(m.Payload).RootElement)
        .Select(e => (e.GetProperty("seq").GetInt64(), e.GetProperty("clip").GetInt64(), e.GetProperty("model").GetProperty("version").GetString()!))
        .ToList();

    private string WriteConfig(int port, int gateOutputs, string gateWithin, string? allowedSigners = null)
    {
        var config = new JsonObject
        {
            ["deviceId"] = Device,
            ["pack"] = TestPaths.Pack("affect-tiny"),
            ["sources"] = new JsonObject { ["visual"] = new JsonObject { ["type"] = "synthetic" }, ["audio"] = new JsonObject { ["type"] = "synthetic" } },
            ["inference"] = new JsonObject { ["providers"] = new JsonArray("cpu") },
            // A loaded machine can starve the synthetic sources for over a second; these tests check
            // the OTA switch and its scores, not stall detection (StreamingPipelineTests do), so a
            // late source must not turn a score into "stalled".
            ["streaming"] = new JsonObject { ["hop"] = 8, ["defaults"] = new JsonObject { ["stallTimeout"] = "00:01:00" } },
            ["mqtt"] = new JsonObject { ["broker"] = $"mqtt://127.0.0.1:{port}", ["healthInterval"] = "00:00:02" },
            ["queue"] = new JsonObject { ["directory"] = Path.Combine(workspace.Root, "queue") },
            ["ota"] = new JsonObject
            {
                ["enabled"] = true,
                ["stateDirectory"] = workspace.State,
                ["trustedKeys"] = workspace.Trusted,
                ["maxDownloadBytes"] = 50_000_000,
                ["healthGate"] = new JsonObject { ["outputs"] = gateOutputs, ["within"] = gateWithin },
            },
        };
        if (allowedSigners is not null)
        {
            config["ota"]!["allowedSigners"] = new JsonArray(allowedSigners);
        }

        var path = Path.Combine(workspace.Root, "edgeemo.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }
}
