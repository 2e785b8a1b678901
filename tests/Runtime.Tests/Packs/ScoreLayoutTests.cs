using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Packs;

/// <summary>Where the newest clip's values sit in each score-tensor layout the manifest allows.</summary>
public sealed class ScoreLayoutTests
{
    private static readonly PackManifest V1 = ManifestReader.ReadFile(Path.Combine(TestPaths.Pack("affect-tiny"), ManifestReader.FileName));
    private static readonly PackManifest V2 = V1 with { SchemaVersion = 2 };

    private static readonly OutputSpec Valence = new() { Name = "valence", Kind = OutputKinds.Regression, Min = -1, Max = 1 };
    private static readonly OutputSpec Level = new() { Name = "level", Kind = OutputKinds.ClassLogits, Classes = ["0", "1", "2", "3", "4"] };

    [Theory]
    [InlineData(new long[] { 1, 16 }, 1, 16, 1, 15)]
    [InlineData(new long[] { 16, 1 }, 0, 16, 1, 15)]
    [InlineData(new long[] { 1, 16, 1 }, 1, 16, 1, 15)]
    [InlineData(new long[] { 8 }, 0, 8, 1, 7)]
    [InlineData(new long[] { 1, 1 }, null, 1, 1, 0)]
    [InlineData(new long[] { 1 }, null, 1, 1, 0)]
    public void Regression_layouts(long[] shape, int? timeAxis, int steps, int values, int offset)
    {
        var layout = ScoreLayout.Of(V2, Tensor(shape, timeAxis), Valence);

        Assert.Equal(new ScoreLayout(steps, values, offset), layout);
    }

    [Theory]
    [InlineData(new long[] { 1, 16, 5 }, 1, 16, 75)]
    [InlineData(new long[] { 16, 5 }, 0, 16, 75)]
    [InlineData(new long[] { 1, 5 }, null, 1, 0)]
    public void Class_logit_layouts(long[] shape, int? timeAxis, int steps, int offset)
    {
        var layout = ScoreLayout.Of(V2, Tensor(shape, timeAxis), Level);

        Assert.Equal(new ScoreLayout(steps, 5, offset), layout);
    }

    [Fact]
    public void Version_1_tensors_have_time_on_axis_1_whatever_they_say()
    {
        Assert.Equal(new ScoreLayout(16, 1, 15), ScoreLayout.Of(V1, Tensor([1, 16], null), Valence));
        Assert.Equal(new ScoreLayout(16, 5, 75), ScoreLayout.Of(V1, Tensor([1, 16, 5], null), Level));
    }

    [Theory]
    [InlineData(new long[] { 1, 16 }, 0)]        // axes after time multiply to 16, not 1
    [InlineData(new long[] { 2, 16 }, 1)]        // an axis before time is not 1
    [InlineData(new long[] { 1, 16 }, null)]     // window-level with 16 values
    [InlineData(new long[] { 16, 1 }, null)]     // window-level with a non-1 leading axis
    [InlineData(new long[] { 1, 1, 16 }, 2)]     // time axis 2
    [InlineData(new long[] { 16 }, 1)]           // time axis past the last axis
    public void Shapes_no_rule_allows_are_refused(long[] shape, int? timeAxis)
    {
        var e = Assert.Throws<ArgumentException>(() => ScoreLayout.Of(V2, Tensor(shape, timeAxis), Valence));

        Assert.Contains("score tensor 'valence'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Class_logits_need_the_class_count_after_the_time_axis()
    {
        Assert.Throws<ArgumentException>(() => ScoreLayout.Of(V2, Tensor([1, 16, 4], 1), Level));
        Assert.Throws<ArgumentException>(() => ScoreLayout.Of(V2, Tensor([1, 16], 1), Level));
    }

    private static TensorSpec Tensor(long[] shape, int? timeAxis) =>
        new() { Name = "valence", ElementType = "float32", Shape = shape, TimeAxis = timeAxis };
}
