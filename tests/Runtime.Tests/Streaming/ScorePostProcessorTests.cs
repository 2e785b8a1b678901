using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.Runtime.Tests.Streaming;

/// <summary>Each score layout read at its newest position, from hand-built outputs.</summary>
public sealed class ScorePostProcessorTests
{
    private const int S = 4;

    // Position p of a regression output holds p + 0.1 (scaled into range); position p, class k of a class output holds p * 10 + k.
    [Theory]
    [InlineData(2, 1, new long[] { 1, S })]
    [InlineData(2, 0, new long[] { S, 1 })]
    [InlineData(2, 1, new long[] { 1, S, 1 })]
    [InlineData(2, 0, new long[] { S })]
    [InlineData(1, 1, new long[] { 1, S })] // version 1: [1, window], time axis 1 by definition
    public void A_regression_output_is_read_at_the_newest_position(int schemaVersion, int timeAxis, long[] shape)
    {
        var post = new ScorePostProcessor(Manifest(schemaVersion, Regression("valence"), Tensor("valence", shape, schemaVersion == 2 ? timeAxis : null)), null);
        var values = Enumerable.Range(0, S).Select(p => (p + 0.1f) / 10).ToArray();

        var scores = post.Process(_ => values)!;

        Assert.Equal((float)((S - 1 + 0.1f) / 10), scores[0].Value, 6);
    }

    [Fact]
    public void A_window_level_regression_output_is_read_whole()
    {
        var post = new ScorePostProcessor(Manifest(2, Regression("valence"), Tensor("valence", [1, 1], null)), null);

        var scores = post.Process(_ => [0.375f])!;

        Assert.Equal(0.375, scores[0].Value);
    }

    [Theory]
    [InlineData(1, new long[] { 1, S, 3 })]
    [InlineData(0, new long[] { S, 3 })]
    public void A_class_output_with_a_time_axis_takes_the_newest_position_s_classes(int timeAxis, long[] shape)
    {
        var post = new ScorePostProcessor(Manifest(2, Classes("level"), Tensor("level", shape, timeAxis)), null);
        var logits = new float[S * 3];
        logits[((S - 1) * 3) + 2] = 9; // newest position: class 2 wins
        logits[1] = 20; // an older position's class 1 must not

        var score = post.Process(_ => logits)![0];

        Assert.Equal(2, score.Level);
        Assert.Equal(3, score.Probabilities!.Count);
        Assert.True(score.Probabilities[2] > 0.99);
    }

    [Fact]
    public void A_window_level_class_output_is_read_whole()
    {
        var post = new ScorePostProcessor(Manifest(2, Classes("level"), Tensor("level", [1, 3], null)), null);

        var score = post.Process(_ => [0, 5, 0])![0];

        Assert.Equal(1, score.Level);
    }

    [Fact]
    public void Class_probabilities_are_taken_as_they_are_the_level_with_its_label_and_probability()
    {
        var post = new ScorePostProcessor(Manifest(2, Probabilities("expression"), Tensor("expression", [1, 3], null)), null);

        var score = post.Process(_ => [0.2f, 0.7f, 0.1f])![0];

        // No second softmax: softmax(0.2, 0.7, 0.1) would give 0.43 for class b.
        Assert.Equal([0.2, 0.7, 0.1], score.Probabilities!.Select(p => Math.Round(p, 6)));
        Assert.Equal(1, score.Level);
        Assert.Equal("b", score.Label);
        Assert.Equal(0.7, score.Value, 6);
    }

    [Fact]
    public void Class_probabilities_with_a_time_axis_take_the_newest_position()
    {
        var post = new ScorePostProcessor(Manifest(2, Probabilities("expression"), Tensor("expression", [1, 2, 3], 1)), null);

        var score = post.Process(_ => [1f, 0f, 0f, 0.1f, 0.1f, 0.8f])![0];

        Assert.Equal(2, score.Level);
        Assert.Equal(0.8, score.Value, 6);
    }

    [Fact]
    public void Smoothed_class_probabilities_average_each_class_and_take_the_level_from_the_averages()
    {
        var output = Probabilities("expression") with { SmoothingFrames = 64 };
        var post = new ScorePostProcessor(Manifest(2, output, Tensor("expression", [1, 3], null)), smoothingHop: 32);

        post.Process(_ => [0.1f, 0.8f, 0.1f]);
        var score = post.Process(_ => [0.5f, 0.2f, 0.3f])![0];

        Assert.Equal([0.3, 0.5, 0.2], score.Probabilities!.Select(p => Math.Round(p, 6)));
        Assert.Equal(1, score.Level);
        Assert.Equal(0.5, score.Value, 6);
    }

    [Fact]
    public void A_value_that_is_not_finite_at_an_older_position_does_not_matter_at_the_newest_it_does()
    {
        var post = new ScorePostProcessor(Manifest(2, Regression("valence"), Tensor("valence", [S, 1], 0)), null);

        Assert.NotNull(post.Process(_ => [float.NaN, 0, 0, 0.5f]));
        Assert.Null(post.Process(_ => [0, 0, 0, float.NaN]));
    }

    private static OutputSpec Regression(string name) => new() { Name = name, Kind = OutputKinds.Regression, Min = -1, Max = 1 };

    private static OutputSpec Probabilities(string name) => new() { Name = name, Kind = OutputKinds.ClassProbabilities, Classes = ["a", "b", "c"] };

    private static OutputSpec Classes(string name) => new() { Name = name, Kind = OutputKinds.ClassLogits, Classes = ["a", "b", "c"] };

    private static TensorSpec Tensor(string name, long[] shape, int? timeAxis) =>
        new() { Name = name, ElementType = "float32", Shape = shape, TimeAxis = timeAxis };

    private static PackManifest Manifest(int schemaVersion, OutputSpec output, TensorSpec tensor) => new()
    {
        SchemaVersion = schemaVersion,
        Id = "layouts",
        Version = "1.0.0",
        Task = "affect",
        Modalities = [],
        ClipSpacingFrames = schemaVersion == 2 ? 32 : null,
        Fusion = new FusionSpec
        {
            File = "fusion.onnx",
            Inputs = [],
            Outputs = [tensor],
            Window = S,
            ClipSpacingFrames = schemaVersion == 1 ? 32 : null,
            FeatureDim = schemaVersion == 1 ? 8 : null,
        },
        Outputs = [output],
        Golden = new GoldenSpec { Tolerance = 1e-4, Cases = [] },
        Files = new Dictionary<string, string>(),
    };
}
