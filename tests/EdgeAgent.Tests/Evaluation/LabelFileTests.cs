using EdgeEmotion.EdgeAgent.Evaluation;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Evaluation;

/// <summary>Label files: the text (<see cref="LabelFile"/>) and what its values mean for a pack (<see cref="LabelColumns"/>).</summary>
public sealed class LabelFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-labels-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static PackManifest Affect => ModelPackLoader.Load(TestPaths.Pack("affect-tiny")).Manifest;

    private static PackManifest Pain => ModelPackLoader.Load(TestPaths.Pack("pain-tiny")).Manifest;

    private string Write(string text)
    {
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private string Refused(string text)
    {
        var path = Write(text);
        return Assert.Throws<InvalidDataException>(() => LabelFile.Read(path)).Message;
    }

    [Fact]
    public void AffWild2_lines_with_minus_5_are_unlabelled()
    {
        var file = LabelFile.Read(Write("valence,arousal\n0.5,-0.25\n-5,-5\n-0.1,0.2\n"));

        var columns = LabelColumns.Bind(file, Affect, 3);

        Assert.Equal(["valence", "arousal"], columns.Select(c => c.Output));
        Assert.Equal(new double?[] { 0.5, null, -0.1 }, columns[0].Values);
        Assert.Equal(new double?[] { -0.25, null, 0.2 }, columns[1].Values);
        Assert.All(columns, c => Assert.Equal(LabelKind.Continuous, c.Kind));
    }

    [Fact]
    public void A_level_column_labels_the_pack_s_class_output_and_minus_1_is_unlabelled_too()
    {
        var columns = LabelColumns.Bind(LabelFile.Read(Write("level\n0\n4\n-1\n-5\n2\n")), Pain, 5);

        var level = Assert.Single(columns);
        Assert.Equal("pain_level", level.Output);
        Assert.Equal(LabelKind.Level, level.Kind);
        Assert.Equal(new double?[] { 0, 4, null, null, 2 }, level.Values);
    }

    [Fact]
    public void One_label_line_labels_every_frame()
    {
        var level = Assert.Single(LabelColumns.Bind(LabelFile.Read(Write("level\n3\n")), Pain, 4));

        Assert.Equal(new double?[] { 3, 3, 3, 3 }, level.Values);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("valence,arousal\n", "has a header but no labels")]
    [InlineData("0.1,0.2\n0.3,0.4\n", ":1: the header '0.1,0.2' is not a list of output names")]
    [InlineData("valence,valence\n0.1,0.2\n", "names a column twice")]
    [InlineData("valence,arousal\n0.1,0.2\n0.3\n", ":3: 1 values, but the header names 2")]
    [InlineData("valence,arousal\n0.1,high\n", ":2: arousal 'high' is not a number")]
    [InlineData("valence,arousal\n0.1,0.2\nNaN,0.1\n", ":3: valence 'NaN' is not a finite number")]
    [InlineData("valence\n0.1\n-Infinity\n", ":3: valence '-Infinity' is not a finite number")]
    [InlineData("valence\n0.1\n\n0.2\n", ":3: an empty line among the labels")]
    public void Bad_text_is_refused_naming_the_line(string text, string expected)
    {
        Assert.Contains(expected, Refused(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_empty_lines_are_not_frames()
    {
        Assert.Equal(2, LabelFile.Read(Write("valence\n0.1\n0.2\n\n\n")).Rows.Count);
    }

    [Fact]
    public void A_column_for_an_output_the_pack_lacks_is_refused_with_the_outputs_it_has()
    {
        var file = LabelFile.Read(Write("valence,pain\n0.1,0.2\n"));

        var e = Assert.Throws<ArgumentException>(() => LabelColumns.Bind(file, Affect, 1));
        Assert.Contains("column 'pain' is not an output of pack affect-tiny (it has valence, arousal)", e.Message, StringComparison.Ordinal);

        // level means the class output, which an affect pack does not have.
        Assert.Throws<ArgumentException>(() => LabelColumns.Bind(LabelFile.Read(Write("level\n1\n")), Affect, 1));
    }

    [Theory]
    [InlineData("level\n0\n5\n", ":3: level 5 is not a level of pain_level (0 to 4")]
    [InlineData("level\n2.5\n", ":2: level 2.5 is not a level")]
    [InlineData("level\n-2\n", ":2: level -2 is not a level")]
    public void A_value_that_is_not_a_level_is_refused(string text, string expected)
    {
        var file = LabelFile.Read(Write(text));

        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => LabelColumns.Bind(file, Pain, file.Rows.Count)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valence_outside_the_output_s_range_is_refused()
    {
        var file = LabelFile.Read(Write("valence\n0.5\n1.5\n"));

        Assert.Contains(":3: valence 1.5 is outside valence's range [-1, 1]",
            Assert.Throws<InvalidDataException>(() => LabelColumns.Bind(file, Affect, 2)).Message, StringComparison.Ordinal);
    }
}
