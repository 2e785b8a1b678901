using System.Text.Json;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing;

public sealed class ScoreJsonTests
{
    private static readonly StageLatency Latency = new(
        new Dictionary<string, double> { ["visual"] = 1.5 }, new Dictionary<string, double> { ["visual"] = 10.25 }, 2, 14);

    [Fact]
    public void A_scored_clip_has_fixed_precision_scores_and_modality_states()
    {
        var output = new ScoreOutput(7, TimeSpan.FromSeconds(8.5333333), [new ScoreValue("valence", -0.12345678), new ScoreValue("arousal", -0.0000001)],
            new Dictionary<string, ModalityReport>
            {
                ["visual"] = new(ModalityState.Ok),
                ["audio"] = new(ModalityState.Held, MissingReasons.Silent, TimeSpan.FromSeconds(1.0666667)),
            },
            Latency);

        var line = ScoreJson.Serialize(output, includeLatency: false);

        Assert.Equal(
            """{"clip":7,"clipEnd":8.533,"status":"degraded","scores":{"valence":-0.123457,"arousal":0.000000},"modalities":{"visual":{"state":"ok"},"audio":{"state":"held","reason":"silent","heldFor":1.067}}}""",
            line);
    }

    [Fact]
    public void A_score_message_names_each_modality_s_source_where_status_does()
    {
        var output = new ScoreOutput(7, TimeSpan.FromSeconds(8.5333333), [new ScoreValue("valence", 0.5)],
            new Dictionary<string, ModalityReport>
            {
                ["visual"] = new(ModalityState.Ok),
                ["audio"] = new(ModalityState.Held, MissingReasons.Silent, TimeSpan.FromSeconds(1)),
            },
            Latency);
        var envelope = new ScoreEnvelope(8, "bed-12", DateTimeOffset.UnixEpoch, "affect-tiny", "1.0.0", "affect",
            new Dictionary<string, SourceKind> { ["visual"] = SourceKind.Device, ["audio"] = SourceKind.Synthetic });

        var message = System.Text.Encoding.UTF8.GetString(ScoreJson.SerializeMessage(output, envelope));

        Assert.Contains(
            """modalities":{"visual":{"state":"ok","source":"device"},"audio":{"state":"held","source":"synthetic","reason":"silent","heldFor":1.000}}""",
            message,
            StringComparison.Ordinal);
        Assert.DoesNotContain("source", ScoreJson.Serialize(output, includeLatency: false), StringComparison.Ordinal); // replay lines: the files are the sources
    }

    [Fact]
    public void A_clip_with_every_modality_missing_has_null_scores()
    {
        var output = new ScoreOutput(0, TimeSpan.FromSeconds(1), null,
            new Dictionary<string, ModalityReport> { ["visual"] = new(ModalityState.Substituted, MissingReasons.NoFace) }, Latency);

        using var json = JsonDocument.Parse(ScoreJson.Serialize(output, includeLatency: true));

        Assert.Equal("no-signal", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("scores").ValueKind);
        Assert.Equal(10.25, json.RootElement.GetProperty("latencyMs").GetProperty("visualBackbone").GetDouble());
    }

    [Fact]
    public void Latency_names_face_detection_beside_the_other_stages()
    {
        var output = new ScoreOutput(0, TimeSpan.FromSeconds(1), null,
            new Dictionary<string, ModalityReport> { ["visual"] = new(ModalityState.Substituted, MissingReasons.NoFace) },
            Latency with { FaceDetectionMs = 11.2 });

        using var json = JsonDocument.Parse(ScoreJson.Serialize(output, includeLatency: true));

        var latency = json.RootElement.GetProperty("latencyMs");
        Assert.Equal(11.2, latency.GetProperty("faceDetection").GetDouble());
        Assert.Equal(["visualPreprocess", "visualBackbone", "faceDetection", "fusion", "total"], latency.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void A_class_output_carries_level_expected_level_and_probabilities()
    {
        var output = new ScoreOutput(0, TimeSpan.FromSeconds(1), [new ScoreValue("pain_level", 1.2, 1, [0.1, 0.6, 0.1, 0.1, 0.1])],
            new Dictionary<string, ModalityReport> { ["visual"] = new(ModalityState.Ok) }, Latency);

        using var json = JsonDocument.Parse(ScoreJson.Serialize(output, includeLatency: false));
        var level = json.RootElement.GetProperty("scores").GetProperty("pain_level");

        Assert.Equal(1, level.GetProperty("level").GetInt32());
        Assert.Equal(1.2, level.GetProperty("expected").GetDouble());
        Assert.Equal(5, level.GetProperty("probabilities").GetArrayLength());
    }

    [Fact]
    public void An_unordered_class_output_carries_level_label_its_probability_and_all_probabilities_but_no_expected_level()
    {
        var output = new ScoreOutput(0, TimeSpan.FromSeconds(1), [new ScoreValue("expression", 0.6, 1, [0.1, 0.6, 0.3], "happy")],
            new Dictionary<string, ModalityReport> { ["visual"] = new(ModalityState.Ok) }, Latency);

        using var json = JsonDocument.Parse(ScoreJson.Serialize(output, includeLatency: false));
        var expression = json.RootElement.GetProperty("scores").GetProperty("expression");

        Assert.Equal(["level", "label", "probability", "probabilities"], expression.EnumerateObject().Select(p => p.Name));
        Assert.Equal("happy", expression.GetProperty("label").GetString());
        Assert.Equal(0.6, expression.GetProperty("probability").GetDouble());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_number_that_is_not_finite_is_refused_by_name_never_written(double value)
    {
        var scored = new ScoreOutput(3, TimeSpan.FromSeconds(1), [new ScoreValue("valence", value)],
            new Dictionary<string, ModalityReport> { ["visual"] = new(ModalityState.Ok) }, Latency);
        var level = scored with { Scores = [new ScoreValue("pain_level", 1, 1, [0.5, value])] };

        var score = Assert.Throws<InvalidDataException>(() => ScoreJson.Serialize(scored, includeLatency: false));
        var probability = Assert.Throws<InvalidDataException>(() => ScoreJson.SerializeMessage(level, new ScoreEnvelope(1, "bed-1", DateTimeOffset.UnixEpoch, "m", "1.0.0", "pain",
            new Dictionary<string, SourceKind> { ["visual"] = SourceKind.Device })));

        Assert.StartsWith("clip 3: 'valence' is ", score.Message, StringComparison.Ordinal);
        Assert.StartsWith("clip 3: 'pain_level' is ", probability.Message, StringComparison.Ordinal);
    }
}
