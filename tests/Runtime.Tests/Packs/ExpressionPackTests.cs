using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Packs;

/// <summary>
/// The committed <c>expression</c> pack (models/export/expression_pack.py through
/// <c>edgeemo models import</c>): face-api.js's trained expression net as a per-frame visual model
/// without fusion, seven class probabilities published as they are.
/// </summary>
public sealed class ExpressionPackTests
{
    private static readonly string[] Expressions = ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"];

    [Fact]
    public void The_pack_declares_one_face_image_per_score_on_face_api_s_crop_and_seven_class_probabilities()
    {
        var m = ModelPackLoader.Load(TestPaths.Pack("expression")).Manifest;

        Assert.Equal("expression", m.Task);
        Assert.Null(m.Fusion);
        var video = Assert.Single(m.Streams).Spec.FaceClip!;
        Assert.Equal((1, 112, 112), (video.ClipFrames, video.Width, video.Height));
        Assert.Equal((1.0, 0.0, 1.0), (video.Scale, video.Mean.Distinct().Single(), video.Std.Distinct().Single()));
        Assert.Equal(new FaceRecipeSpec { Detector = FaceDetectors.TinyFaceDetector, Crop = FaceCrops.LandmarkBox }, video.Face);
        var output = Assert.Single(m.Outputs);
        Assert.Equal(OutputKinds.ClassProbabilities, output.Kind);
        Assert.Equal(Expressions, output.Classes);
        Assert.Equal(new ScoreLayout(1, 7, 0), ScoreLayout.Of(m, m.ScoreModel.Outputs.Single(), output));
    }

    [Fact]
    public void Its_golden_cases_pass_and_the_published_score_is_the_network_s_own_softmax()
    {
        var pack = ModelPackLoader.Load(TestPaths.Pack("expression"));
        using var sessions = PackSessions.Open(pack, CpuSessions.Factory());
        var results = GoldenSelfTest.Run(sessions);
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.File}: {r.MaxAbsError} > {r.Tolerance} {r.Problem}"));

        // face.mp4's first frame: face-api.js says happy 0.888, neutral 0.112.
        var folder = Path.Combine(TestPaths.Pack("expression"), "golden");
        var expected = NpyArray.Read(Path.Combine(folder, "face_000_expression.npy")).Data;
        NpyArray.Read(Path.Combine(folder, "face_000_face.npy")).Data.CopyTo(sessions.Scores.Input(0));
        sessions.Scores.Run();
        var score = Assert.Single(new ScorePostProcessor(pack.Manifest, null).Process(sessions.Scores)!);

        Assert.Equal("happy", score.Label);
        Assert.Equal(1, score.Level);
        Assert.Equal(expected[1], score.Value, 1e-5);
        Assert.Equal(expected.Select(p => (double)p), score.Probabilities!, (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal(1.0, score.Probabilities!.Sum(), 1e-5);
    }
}
