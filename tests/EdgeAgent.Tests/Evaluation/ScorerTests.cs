using EdgeEmotion.EdgeAgent.Evaluation;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Evaluation;

/// <summary>Per-clip outputs to per-frame figures, on hand-made outputs of affect-tiny's shape (30 fps, clips of 32 frames).</summary>
public sealed class ScorerTests
{
    private static readonly PackManifest Affect = ModelPackLoader.Load(TestPaths.Pack("affect-tiny")).Manifest;
    private static readonly StageLatency NoLatency = new(new Dictionary<string, double>(), new Dictionary<string, double>(), 0, 0);

    private static ScoreOutput Clip(long clip, double? valence) => new(
        clip,
        TimeSpan.FromSeconds((clip + 1) * 32 / 30.0),
        valence is { } v ? [new ScoreValue("valence", v), new ScoreValue("arousal", 0)] : null,
        new Dictionary<string, ModalityReport>(),
        NoLatency);

    private static LabelColumn Valence(Func<int, double?> label, int frames) =>
        new("valence", LabelKind.Continuous, Enumerable.Range(0, frames).Select(label).ToArray());

    [Fact]
    public void A_no_signal_clip_leaves_its_frames_without_a_prediction_and_they_are_counted()
    {
        // Clip 1 had no scores (every modality missing): its 32 frames have no prediction.
        ScoreOutput[] outputs = [Clip(0, 0.1), Clip(1, null), Clip(2, 0.3)];
        var predictions = FramePredictions.Build(outputs, Affect, 32 / 30.0, 96, 30, FrameAssignment.Centred);

        var figures = Scorer.Score(predictions, [Valence(i => i % 2 == 0 ? 0.1 : 0.3, 96)], Affect, null);

        Assert.Equal(0, figures.FramesBeforeFirstOutput);
        Assert.Equal(32, figures.FramesNoSignal);
        var valence = Assert.Single(figures.Outputs);
        Assert.Equal(64, valence.Frames);
        Assert.Equal(32, valence.NoPrediction);
        Assert.Equal(0.2, valence.PredictionMean!.Value, 12); // half the frames 0.1, half 0.3
        Assert.Equal(0.1, valence.PredictionStd!.Value, 12);
        Assert.Equal(0.2, valence.LabelMean!.Value, 12);
        Assert.Equal(0, valence.Ccc!.Value, 12); // alternating labels against a step: no covariance
    }

    [Fact]
    public void Live_frames_before_the_first_output_are_counted_apart_from_unlabelled_ones()
    {
        ScoreOutput[] outputs = [Clip(0, 0.1), Clip(1, 0.2)];
        var predictions = FramePredictions.Build(outputs, Affect, 32 / 30.0, 64, 30, FrameAssignment.Live);

        // Frames 0-9 unlabelled; 10-30 labelled but before clip 0 ends; 31-63 scored.
        var figures = Scorer.Score(predictions, [Valence(i => i < 10 ? null : i < 40 ? 0.1 : 0.2, 64)], Affect, null);

        Assert.Equal(31, figures.FramesBeforeFirstOutput);
        var valence = Assert.Single(figures.Outputs);
        Assert.Equal(10, valence.Unlabelled);
        Assert.Equal(21, valence.NoPrediction);
        Assert.Equal(33, valence.Frames);
    }

    [Fact]
    public void Smoothing_blends_predictions_across_a_clip_boundary_only()
    {
        ScoreOutput[] outputs = [Clip(0, 0), Clip(1, 1)];
        var smoothed = FramePredictions.Build(outputs, Affect, 32 / 30.0, 64, 30, FrameAssignment.Centred)
            .Smoothed(new Dictionary<string, int> { ["valence"] = 4 });

        Assert.Equal(0, smoothed.Values["valence"][29]); // frames 28-31: all clip 0
        Assert.Equal(0.5, smoothed.Values["valence"][31]); // frames 30-33: two of each
        Assert.Equal(1, smoothed.Values["valence"][33]);
        Assert.Equal(0, smoothed.Values["arousal"][31]); // no window given: untouched
    }
}
