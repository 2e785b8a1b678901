using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>Real score message bodies (built by <see cref="ScoreJson"/>) in the three shapes a dashboard sees.</summary>
internal static class TestScores
{
    private static readonly StageLatency Latency = new(
        new Dictionary<string, double> { ["visual"] = 0.8, ["audio"] = 2.9 },
        new Dictionary<string, double> { ["visual"] = 145.8, ["audio"] = 3.5 },
        7.9,
        160.9);

    /// <summary>Valence/arousal, a pain level with class probabilities, or no scores at all, by <paramref name="sequence"/> modulo 3.</summary>
    public static byte[] Payload(long sequence, string deviceId)
    {
        var clipEnd = TimeSpan.FromSeconds(sequence * 0.5333);
        var output = (sequence % 3) switch
        {
            0 => new ScoreOutput(sequence, clipEnd, [new ScoreValue("valence", 0.25), new ScoreValue("arousal", -0.5)],
                new Dictionary<string, ModalityReport> { ["visual"] = new(ModalityState.Ok), ["audio"] = new(ModalityState.Ok) }, Latency),
            1 => new ScoreOutput(sequence, clipEnd, [new ScoreValue("pain_probability", 0.62), new ScoreValue("pain_level", 2.1, 2, [0.05, 0.15, 0.5, 0.2, 0.1])],
                new Dictionary<string, ModalityReport>
                {
                    ["visual"] = new(ModalityState.Held, MissingReasons.NoFace, TimeSpan.FromSeconds(1.2)),
                    ["eda"] = new(ModalityState.Ok),
                },
                Latency),
            _ => new ScoreOutput(sequence, clipEnd, null,
                new Dictionary<string, ModalityReport> { ["visual"] = new(ModalityState.Substituted, MissingReasons.NoFace) }, Latency),
        };
        var task = sequence % 3 == 1 ? "pain" : "affect";
        var envelope = new ScoreEnvelope(sequence, deviceId, DateTimeOffset.UtcNow, $"{task}-tiny", "1.0.0", task, output.Modalities.ToDictionary(m => m.Key, _ => SourceKind.Device));
        return ScoreJson.SerializeMessage(output, envelope);
    }

    public static void Append(MemoryScoreQueue queue, string deviceId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var sequence = queue.NextSequence;
            queue.Append(sequence, Payload(sequence, deviceId));
        }
    }
}
