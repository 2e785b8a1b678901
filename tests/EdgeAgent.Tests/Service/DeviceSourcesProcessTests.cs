using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Tests.Cli;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Sensors.Replay;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Service;

/// <summary>
/// `edgeemo run` on the device source types, as far as this machine goes: the ALSA microphone
/// through the real libasound (the `file` PCM plugin playing the committed speech), the ADS1115
/// through its register-level simulator (calibrated first with `edgeemo calibrate-eda`), and the
/// camera source reading the committed face video. Scores reach a real mosquitto.
/// </summary>
public sealed class DeviceSourcesProcessTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-devices-").FullName;
    private readonly AgentProcesses agents = new();

    public void Dispose()
    {
        agents.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Affect_on_an_alsa_microphone_and_a_file_camera_publishes_scores()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, "edgeemo/v1/mic/#");
        var frames = WriteAlsaPlugin();
        var sources = new JsonObject
        {
            ["visual"] = new JsonObject { ["type"] = "camera", ["camera"] = new JsonObject { ["kind"] = "File", ["path"] = TestMedia.FaceVideo, ["loop"] = true } },
            ["audio"] = new JsonObject
            {
                ["type"] = "alsa",
                ["alsa"] = new JsonObject { ["device"] = "testmic", ["configFile"] = Path.Combine(folder, "asound.conf"), ["sampleRate"] = 44100, ["maxFrames"] = frames },
            },
        };

        var log = new ConcurrentQueue<string>();
        agents.Start(WriteConfig("mic", "affect-tiny", sources, broker.Port), log);

        // At least one clip lies wholly in the 2.5 s of audio, wherever the run's clock put its start.
        await dashboard.WaitForAsync(m => OkScores(m, "mic", "audio").Count >= 1, "a score with the ALSA microphone ok");
        Assert.All(OkScores(dashboard.Messages, "mic", "audio"), s => Assert.Equal("ok", s.GetProperty("modalities").GetProperty("visual").GetProperty("state").GetString()));

        // The microphone is a sensor; the camera reads a recording, and every message and the log say so.
        AssertSources(dashboard.Messages, "mic", ("audio", "device"), ("visual", "file"));
        var warning = Assert.Single(log, l => l.Contains("Not a patient's signal", StringComparison.Ordinal));
        Assert.Contains("visual=file", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("audio=", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pain_on_a_simulated_ads1115_and_a_file_camera_publishes_scores()
    {
        var calibration = Path.Combine(folder, "eda.json");
        var (code, _, error) = await CliRunner.RunAsync("calibrate-eda", "--simulate", "--non-interactive", "--ref", "100k", "--ref", "1M", "--ref", "10M", "--out", calibration);
        Assert.True(code == 0, error);

        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, "edgeemo/v1/gsr/#");
        var sources = new JsonObject
        {
            ["visual"] = new JsonObject { ["type"] = "camera", ["camera"] = new JsonObject { ["kind"] = "File", ["path"] = TestMedia.FaceVideo, ["loop"] = true } },
            ["eda"] = new JsonObject
            {
                ["type"] = "ads1115",
                ["ads1115"] = new JsonObject { ["calibrationFile"] = calibration, ["sampleRate"] = 32 },
                ["simulate"] = new JsonObject { ["skinMicrosiemens"] = 6 },
            },
        };

        agents.Start(WriteConfig("gsr", "pain-tiny", sources, broker.Port));

        await dashboard.WaitForAsync(m => OkScores(m, "gsr", "eda").Count >= 3, "scores with the ADS1115 EDA ok");
        AssertSources(dashboard.Messages, "gsr", ("eda", "synthetic"), ("visual", "file")); // the register simulator, not the bus
    }

    // Every score and status names each modality's source.
    private static void AssertSources(IEnumerable<ReceivedMessage> messages, string device, params (string Modality, string Source)[] expected)
    {
        var bodies = messages.Where(m => m.Topic == $"edgeemo/v1/{device}/scores" || m.Topic == $"edgeemo/v1/{device}/status").ToList();
        Assert.Contains(bodies, m => m.Topic.EndsWith("/status", StringComparison.Ordinal));
        Assert.All(bodies, m =>
        {
            var modalities = JsonDocument.Parse(m.Payload).RootElement.GetProperty("modalities");
            Assert.All(expected, e => Assert.Equal(e.Source, modalities.GetProperty(e.Modality).GetProperty("source").GetString()));
        });
    }

    private static List<JsonElement> OkScores(IEnumerable<ReceivedMessage> messages, string device, string modality) => messages
        .Where(m => m.Topic == $"edgeemo/v1/{device}/scores")
        .Select(m => JsonDocument.Parse(m.Payload).RootElement)
        .Where(e => e.GetProperty("modalities").GetProperty(modality).GetProperty("state").GetString() == "ok")
        .ToList();

    // The committed speech as raw S16 mono at 44.1 kHz behind an ALSA `file` PCM named testmic.
    // The file PCM hands out its whole file at once, far ahead of real time, and the pipeline keeps
    // only the newest 3 s of audio (AudioTrack): with more, which clips keep their audio would
    // depend on when the agent's first read came and how fast it read. The first 2.5 s all stay.
    private long WriteAlsaPlugin()
    {
        var speech = WavFile.Read(TestMedia.Speech);
        Assert.Equal(44100, speech.SampleRate);
        var samples = speech.Samples.Span[..(int)(2.5 * speech.SampleRate)];
        var raw = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            var value = (short)Math.Clamp(Math.Round(samples[i] * 32767), short.MinValue, short.MaxValue);
            BitConverter.TryWriteBytes(raw.AsSpan(i * 2), value);
        }

        var infile = Path.Combine(folder, "speech.raw");
        File.WriteAllBytes(infile, raw);
        AlsaFilePlugin.WriteConfig(folder, infile);
        return samples.Length;
    }

    private string WriteConfig(string device, string pack, JsonObject sources, int port)
    {
        var config = new JsonObject
        {
            ["deviceId"] = device,
            ["pack"] = TestPaths.Pack(pack),
            ["sources"] = sources,
            ["inference"] = new JsonObject { ["providers"] = new JsonArray("cpu") },
            ["mqtt"] = new JsonObject { ["broker"] = $"mqtt://127.0.0.1:{port}" },
            ["queue"] = new JsonObject { ["directory"] = Path.Combine(folder, $"queue-{device}") },
        };
        var path = Path.Combine(folder, $"{device}.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }
}
