using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Streaming;

/// <summary>NaN and infinite samples, from any source, make their modality missing and never reach a score.</summary>
public sealed class InvalidSampleTests
{
    private static StreamingOptions Substitute() => new() { Defaults = new ModalityOptions { Policy = MissingPolicy.Substitute } };

    [Fact]
    public void Audio_with_nan_and_infinite_samples_is_missing_for_invalid_samples_while_they_are_in_its_segment()
    {
        using var harness = new PipelineHarness("affect-tiny", Substitute());
        var audio = PipelineHarness.Speech(0, 8).Select(b =>
        {
            if (b.Timestamp == TimeSpan.FromSeconds(1))
            {
                b.Samples[10] = float.NaN;
                b.Samples[20] = float.PositiveInfinity;
                b.Samples[30] = float.NegativeInfinity;
            }

            return b;
        });

        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 8), audio);

        var reasons = harness.Outputs.Select(o => o.Modalities["audio"].Reason).ToList();
        Assert.Equal("invalid samples", reasons[0]);
        Assert.Null(reasons[^1]); // the segment has moved past them: audio is back
        Assert.All(harness.Outputs, o => Assert.All(o.Scores!, s => Assert.True(double.IsFinite(s.Value), $"{s.Name} = {s.Value}")));
    }

    [Fact]
    public void Eda_readings_that_are_not_finite_make_eda_missing_for_invalid_samples_then_it_returns()
    {
        using var harness = new PipelineHarness("pain-tiny", Substitute());
        var eda = PipelineHarness.Eda(0, 9).Select(s => s.Timestamp == TimeSpan.FromSeconds(1) ? s with { Microsiemens = double.NaN }
            : s.Timestamp == TimeSpan.FromSeconds(1.5) ? s with { Microsiemens = double.PositiveInfinity } : s);

        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 9), eda: eda);

        // The segment spans 4 s (256 samples at 64 Hz): the readings at 1 and 1.5 s are in it until about 5.5 s.
        Assert.All(harness.Outputs.Where(o => o.ClipEnd.TotalSeconds is >= 1.5 and < 5), o => Assert.Equal("invalid samples", o.Modalities["eda"].Reason));
        Assert.Equal(ModalityState.Ok, harness.Outputs[0].Modalities["eda"].State);
        Assert.Equal(ModalityState.Ok, harness.Outputs[^1].Modalities["eda"].State);
        Assert.All(harness.Outputs, o => Assert.All(o.Scores!, s =>
        {
            Assert.True(double.IsFinite(s.Value), $"{s.Name} = {s.Value}");
            Assert.All(s.Probabilities ?? [], p => Assert.True(double.IsFinite(p)));
        }));
    }

    [Fact]
    public void An_eda_reading_not_after_the_previous_one_is_dropped_not_fatal()
    {
        using var harness = new PipelineHarness("pain-tiny", Substitute());
        var eda = PipelineHarness.Eda(0, 2).Append(new EdaSample(TimeSpan.FromSeconds(0.5), 5)).Concat(PipelineHarness.Eda(2, 4));

        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 4), eda: eda);

        Assert.Equal(ModalityState.Ok, harness.Outputs[^1].Modalities["eda"].State);
    }
}
