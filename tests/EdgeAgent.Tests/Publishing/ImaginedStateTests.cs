using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing;

/// <summary>A modality whose features an imagination model predicted reads <c>imagined</c> wherever held and substituted appear.</summary>
public sealed class ImaginedStateTests
{
    private static readonly StageLatency Latency = new(
        new Dictionary<string, double> { ["visual"] = 1.5 }, new Dictionary<string, double> { ["visual"] = 10.25 }, 2, 14);

    private static readonly ScoreOutput Output = new(3, TimeSpan.FromSeconds(4.2666667), [new ScoreValue("valence", 0.25), new ScoreValue("arousal", -0.5)],
        new Dictionary<string, ModalityReport>
        {
            ["visual"] = ModalityReport.Ok,
            ["audio"] = new(ModalityState.Imagined, MissingReasons.Silent),
        },
        Latency);

    private static readonly ScoreEnvelope Envelope = new(4, "bed-12", DateTimeOffset.UnixEpoch, "affect-imagine", "1.0.0", "affect",
        new Dictionary<string, SourceKind> { ["visual"] = SourceKind.Device, ["audio"] = SourceKind.Device });

    [Fact]
    public void A_scores_line_says_imagined_with_the_reason_and_the_output_is_degraded()
    {
        Assert.Equal(
            """{"clip":3,"clipEnd":4.267,"status":"degraded","scores":{"valence":0.250000,"arousal":-0.500000},"modalities":{"visual":{"state":"ok"},"audio":{"state":"imagined","reason":"silent"}}}""",
            ScoreJson.Serialize(Output, includeLatency: false));
    }

    [Fact]
    public async Task The_scores_and_status_messages_with_imagined_follow_their_schemas()
    {
        var scores = System.Text.Encoding.UTF8.GetString(ScoreJson.SerializeMessage(Output, Envelope));
        var status = StatusMessage.ForModalities("bed-12", new ModelDescriptor("affect-imagine", "1.0.0", "affect"), Output.Modalities,
            Envelope.Sources, DateTimeOffset.UnixEpoch);
        var statusJson = System.Text.Encoding.UTF8.GetString(PublishingJson.Serialize(status));

        Assert.Equal(ModalityStatusState.Imagined, status.Modalities["audio"].State);
        Assert.Equal(DeviceState.Degraded, status.State);
        Assert.Contains("\"audio\":{\"state\":\"imagined\",\"source\":\"device\",\"reason\":\"silent\"}", statusJson, StringComparison.Ordinal);
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("scores.schema.json", [scores]));
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("status.schema.json", [statusJson]));
    }

    [Fact]
    public async Task An_imagined_modality_without_a_reason_breaks_the_scores_schema()
    {
        var withoutReason = """{"seq":1,"deviceId":"bed-12","producedAt":"2026-12-07T07:36:51.741Z","model":{"id":"a","version":"1.0.0","task":"affect"},"clip":0,"clipEnd":1.067,"status":"degraded","scores":{"valence":0.1},"modalities":{"audio":{"state":"imagined","source":"device"}}}""";

        Assert.NotEmpty(await JsonSchemaCheck.ValidateAsync("scores.schema.json", [withoutReason]));
    }
}
