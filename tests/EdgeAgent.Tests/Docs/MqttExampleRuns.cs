using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.EdgeAgent.Service;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Docs;

/// <summary>
/// The generator of docs/mqtt.md's examples: the agent (<see cref="AgentRunner"/>, as `run` and
/// `demo` drive it) on each tiny pack with synthetic sources and scripted dropouts, publishing to
/// a real mosquitto; each example is the first message on the wire that shows its case. Nothing
/// here builds a payload: new fields the agent publishes appear in the examples by themselves.
/// </summary>
internal static class MqttExampleRuns
{
    public const string DeviceId = "bed-12";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>Every generated example by name (the names docs/mqtt.md marks its JSON blocks with).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> GenerateAsync()
    {
        var examples = new Dictionary<string, string>(StringComparer.Ordinal);
        using var broker = await MosquittoBroker.StartAsync();
        await AffectAsync(broker, examples);
        await PainAsync(broker, examples);
        return examples;
    }

    // affect-tiny: audio silent at 3-5 s (held: a degraded status), then camera and microphone both
    // gone at 7-15 s (held, then substituted: no-signal); the connection cut like a pulled cable
    // (the broker's last will), then a clean stop.
    private static async Task AffectAsync(MosquittoBroker broker, Dictionary<string, string> examples)
    {
        await using var proxy = new SeverableTcpProxy(broker.Port);
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, $"edgeemo/v1/{DeviceId}/#");
        var topics = new MqttTopics("edgeemo/v1", DeviceId);
        using var folder = new TemporaryFolder();
        var runner = new AgentRunner(Config("affect-tiny", proxy.Uri, folder.Path, "audio:silence@3-5,visual:missing@7-15,audio:silence@7-15"), folder.Path, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var running = runner.RunAsync(null, stop.Token);
        try
        {
            await WaitForAsync(dashboard, running, "an ok score, a no-signal score, an audio-held status and a health message with every stage", m =>
                First(m, topics.Scores, OkScore) is { } ok
                && First(m, topics.Scores, NoSignal) is not null
                && First(m, topics.Status, AudioHeld) is not null
                && HealthWithEveryStage(m, topics.Health, ok) is not null);

            proxy.Sever();
            await WaitForAsync(dashboard, running, "the last will", m => First(m, topics.Status, s => Text(s, "reason") == StatusMessage.ConnectionLostReason) is not null);
            var willAt = dashboard.Messages.Count;
            proxy.Resume();
            await WaitForAsync(dashboard, running, "the status after the reconnect", m => m.Skip(willAt).Any(x => x.Topic == topics.Status));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        await dashboard.WaitForAsync(m => First(m, topics.Status, s => Text(s, "reason") == StatusMessage.StoppedReason) is not null, "the clean stop's status");
        var messages = dashboard.Messages;
        var okScore = First(messages, topics.Scores, OkScore)!;
        examples["scores-affect-ok"] = Payload(messages, topics.Scores, OkScore);
        examples["scores-no-signal"] = Payload(messages, topics.Scores, NoSignal);
        examples["status-degraded"] = Payload(messages, topics.Status, AudioHeld);
        examples["status-last-will"] = Payload(messages, topics.Status, s => Text(s, "reason") == StatusMessage.ConnectionLostReason);
        examples["status-stopped"] = Payload(messages, topics.Status, s => Text(s, "reason") == StatusMessage.StoppedReason);
        examples["health"] = HealthWithEveryStage(messages, topics.Health, okScore)!;
    }

    // Past the first outputs, whose latencies include the models' warm-up.
    private static bool OkScore(JsonNode score) => Text(score, "status") == "ok" && score["seq"]!.GetValue<long>() >= 3;

    // Each case names the reasons it shows: on a loaded machine a late sample reads "stalled" for a
    // moment, and such a message is not the example (the next one is).
    private static bool AudioHeld(JsonNode status) =>
        Text(status, "state") == "degraded" && Modality(status, "audio") == "held" && Reason(status, "audio") == MissingReasons.Silent && Modality(status, "visual") == "ok";

    private static bool NoSignal(JsonNode score) =>
        Text(score, "status") == "no-signal" && Reason(score, "visual") == MissingReasons.Stalled && Reason(score, "audio") == MissingReasons.Silent;

    // The second health message whose stage means cover every stage of an ok output (the first covers the warm-up).
    private static string? HealthWithEveryStage(IEnumerable<ReceivedMessage> messages, string topic, JsonNode okScore) =>
        messages.Where(m => m.Topic == topic && SameKeys(JsonNode.Parse(m.Payload)!["stageLatencyMs"], okScore["latencyMs"])).Skip(1).FirstOrDefault()?.Payload;

    // pain-tiny: the camera gone at 3-8 s: the face is held from the last good clip while EDA is ok.
    private static async Task PainAsync(MosquittoBroker broker, Dictionary<string, string> examples)
    {
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, $"edgeemo/v1/{DeviceId}/#");
        var topics = new MqttTopics("edgeemo/v1", DeviceId);
        using var folder = new TemporaryFolder();
        var runner = new AgentRunner(Config("pain-tiny", broker.Uri, folder.Path, "visual:missing@3-8"), folder.Path, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var running = runner.RunAsync(null, stop.Token);
        Func<JsonNode, bool> heldFace = s =>
            Text(s, "status") == "degraded" && Modality(s, "visual") == "held" && Reason(s, "visual") == MissingReasons.Stalled && Modality(s, "eda") == "ok";
        try
        {
            await WaitForAsync(dashboard, running, "a pain score with the face held", m => First(m, topics.Scores, heldFace) is not null);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        examples["scores-pain-degraded"] = Payload(dashboard.Messages, topics.Scores, heldFace);
    }

    // The service's defaults, but for the sources and a health message every second.
    private static AgentConfig Config(string pack, Uri broker, string folder, string dropouts)
    {
        var synthetic = new SourceConfig { Type = SourceType.Synthetic };
        var eda = pack.StartsWith("pain", StringComparison.Ordinal);
        return new AgentConfig
        {
            DeviceId = DeviceId,
            Pack = TestPaths.Pack(pack),
            Sources = new SourcesConfig { Visual = synthetic, Audio = eda ? null : synthetic, Eda = eda ? synthetic : null, Dropouts = dropouts },
            Inference = new InferenceOptions { Providers = [ExecutionProviderKind.Cpu] },
            Streaming = new StreamingOptions(),
            Mqtt = new MqttOptions { Broker = broker, HealthInterval = TimeSpan.FromSeconds(1) },
            Queue = new ScoreQueueOptions { Directory = System.IO.Path.Combine(folder, "queue") },
        };
    }

    private static async Task WaitForAsync(MqttTestSubscriber dashboard, Task running, string what, Func<IReadOnlyList<ReceivedMessage>, bool> condition)
    {
        await Eventually.WaitUntilAsync(
            () =>
            {
                if (running.IsCompleted)
                {
                    running.GetAwaiter().GetResult(); // the agent stopped on an error: say which
                    throw new InvalidOperationException($"The agent stopped before {what}.");
                }

                return condition(dashboard.Messages);
            },
            what,
            Patience,
            dashboard.Describe);
    }

    private static JsonNode? First(IEnumerable<ReceivedMessage> messages, string topic, Func<JsonNode, bool> shows) =>
        messages.Where(m => m.Topic == topic).Select(m => JsonNode.Parse(m.Payload)!).FirstOrDefault(shows);

    // The body as the broker delivered it (re-serialising would escape '+' and reorder nothing useful).
    private static string Payload(IEnumerable<ReceivedMessage> messages, string topic, Func<JsonNode, bool> shows) =>
        messages.First(m => m.Topic == topic && shows(JsonNode.Parse(m.Payload)!)).Payload;

    private static string? Text(JsonNode message, string key) => message[key]?.GetValue<string>();

    private static string? Modality(JsonNode message, string name) => message["modalities"]?[name]?["state"]?.GetValue<string>();

    private static string? Reason(JsonNode message, string name) => message["modalities"]?[name]?["reason"]?.GetValue<string>();

    private static bool SameKeys(JsonNode? a, JsonNode? b) =>
        a is JsonObject x && b is JsonObject y && x.Select(p => p.Key).Order().SequenceEqual(y.Select(p => p.Key).Order());

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("edgeemo-doc-examples-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
