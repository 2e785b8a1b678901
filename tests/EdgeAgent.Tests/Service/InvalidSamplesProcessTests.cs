using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Service;

/// <summary>`edgeemo run` on a float WAV holding NaN and infinity: it keeps publishing, the audio marked.</summary>
public sealed class InvalidSamplesProcessTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-nan-").FullName;
    private readonly AgentProcesses agents = new();

    public void Dispose()
    {
        agents.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Run_on_a_wav_with_nan_and_infinity_publishes_scores_with_audio_invalid_and_stays_up()
    {
        var wav = Path.Combine(folder, "nan.wav");
        await File.WriteAllBytesAsync(wav, NanWav());
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, "edgeemo/v1/nan/#");
        var config = new JsonObject
        {
            ["deviceId"] = "nan",
            ["pack"] = TestPaths.Pack("affect-tiny"),
            ["sources"] = new JsonObject
            {
                ["visual"] = new JsonObject { ["type"] = "file", ["path"] = TestMedia.FaceVideo },
                ["audio"] = new JsonObject { ["type"] = "file", ["path"] = wav },
            },
            ["inference"] = new JsonObject { ["providers"] = new JsonArray("cpu") },
            ["mqtt"] = new JsonObject { ["broker"] = $"mqtt://127.0.0.1:{broker.Port}" },
            ["queue"] = new JsonObject { ["directory"] = Path.Combine(folder, "queue") },
        };
        var path = Path.Combine(folder, "nan.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());

        var agent = agents.Start(path);

        await dashboard.WaitForAsync(m => Scores(m).Count >= 3, "three score messages");
        var scores = Scores(dashboard.Messages);
        Assert.Equal("invalid samples", scores[0].GetProperty("modalities").GetProperty("audio").GetProperty("reason").GetString());
        Assert.DoesNotContain(dashboard.Messages, m => m.Payload.Contains("NaN", StringComparison.Ordinal) || m.Payload.Contains("Infinity", StringComparison.Ordinal));
        Assert.False(agent.HasExited);
    }

    private static List<JsonElement> Scores(IEnumerable<ReceivedMessage> messages) => messages
        .Where(m => m.Topic == "edgeemo/v1/nan/scores")
        .Select(m => JsonDocument.Parse(m.Payload).RootElement.Clone())
        .ToList();

    // 8 s of a 220 Hz tone at 16 kHz, float32 mono, NaN and +-infinity within the first second.
    private static byte[] NanWav()
    {
        const int rate = 16000;
        var data = new byte[rate * 8 * 4];
        for (var n = 0; n < rate * 8; n++)
        {
            var x = n switch
            {
                4000 => float.NaN,
                9000 => float.PositiveInfinity,
                12000 => float.NegativeInfinity,
                _ => (float)(0.2 * Math.Sin(2 * Math.PI * 220 * n / rate)),
            };
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(n * 4), x);
        }

        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 36 + data.Length);
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(20), 3);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), rate);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), rate * 4);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(32), 4);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(34), 32);
        "data"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(40), data.Length);
        return [.. header, .. data];
    }
}
