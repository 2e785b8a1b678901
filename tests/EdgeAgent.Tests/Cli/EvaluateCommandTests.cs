using System.Globalization;
using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>
/// <c>edgeemo evaluate</c> on the committed media, against label files made from its own
/// predictions, so the answer is known: labels equal to the predictions give CCC 1, their mirror
/// image about the mean gives -1, and -5 gaps are counted out.
/// </summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-evaluate-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Path_(string name) => Path.Combine(folder, name);

    private static string[] Affect(string labels, params string[] more) =>
        ["evaluate", "--pack", TestPaths.Pack("affect-tiny"), "--video", TestMedia.FaceVideo, "--audio", TestMedia.Speech, "--labels", labels, "--providers", "cpu", .. more];

    private static string[] Pain(string labels, params string[] more) =>
        ["evaluate", "--pack", TestPaths.Pack("pain-tiny"), "--video", TestMedia.FaceVideo, "--eda", TestMedia.Eda, "--labels", labels, "--providers", "cpu", .. more];

    private string Labels(string name, string text)
    {
        File.WriteAllText(Path_(name), text);
        return Path_(name);
    }

    // The per-frame CSV as columns by name; an empty cell is null.
    private static Dictionary<string, double?[]> ReadCsv(string file)
    {
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        return header.Select((name, i) => (name, values: rows.Select(r => r[i].Length == 0 ? (double?)null : double.Parse(r[i], C)).ToArray()))
            .ToDictionary(c => c.name, c => c.values);
    }

    private static JsonElement Output(JsonElement report, string assignment, string output) =>
        report.GetProperty("assignments").EnumerateArray().Single(a => a.GetProperty("assignment").GetString() == assignment)
            .GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("output").GetString() == output);

    private async Task<Dictionary<string, double?[]>> PredictionsAsync(Func<string, string[], string[]> command, string anyLabels)
    {
        var (code, _, error) = await CliRunner.RunAsync(command(anyLabels, ["--out", Path_("predictions.csv")]));
        Assert.True(code == ExitCodes.Ok, error);
        return ReadCsv(Path_("predictions.csv"));
    }

    private static string VaFile(double?[] valence, double?[] arousal) =>
        "valence,arousal\n" + string.Concat(valence.Zip(arousal).Select(p => $"{F(p.First)},{F(p.Second)}\n"));

    private static string F(double? value) => value is { } v ? v.ToString("R", C) : "-5";

    [Fact]
    public async Task Affect_labels_equal_to_the_live_predictions_give_CCC_1_and_their_mirror_image_minus_1()
    {
        var zeros = Labels("zeros.csv", "valence,arousal\n" + string.Concat(Enumerable.Repeat("0,0\n", 360)));
        var p = await PredictionsAsync(Affect, zeros);
        Assert.Equal(360, p["frame"].Length);
        Assert.Equal(31, p["clip_live"].Count(c => c is null)); // frames 0-30: before clip 0 ends on frame 31
        Assert.Equal(0, p["clip_centred"].Count(c => c is null));

        var same = Labels("same.csv", VaFile(p["valence_live"], p["arousal_live"]));
        var (code, stdout, error) = await CliRunner.RunAsync(Affect(same, "--assign", "live", "--json"));
        Assert.True(code == ExitCodes.Ok, error);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(360, report.GetProperty("frames").GetInt32());
        Assert.Equal(11, report.GetProperty("outputs").GetInt32());
        foreach (var name in new[] { "valence", "arousal" })
        {
            var o = Output(report, "live", name);
            Assert.Equal(1, o.GetProperty("ccc").GetDouble(), 1e-6);
            Assert.Equal(329, o.GetProperty("frames").GetInt32());
            Assert.Equal(31, o.GetProperty("unlabelled").GetInt32()); // the frames without a prediction were labelled -5
        }

        // Reflected about their mean: the same mean and spread, covariance -var, so CCC -1 (plain negation is not: the means would differ).
        var mirror = new Dictionary<string, double?[]>();
        foreach (var name in new[] { "valence", "arousal" })
        {
            var values = p[name + "_live"];
            var mean = values.Where(v => v is not null).Average()!.Value;
            mirror[name] = values.Select(v => v is { } x ? (2 * mean) - x : (double?)null).ToArray();
        }

        var opposite = Labels("opposite.csv", VaFile(mirror["valence"], mirror["arousal"]));
        (code, stdout, error) = await CliRunner.RunAsync(Affect(opposite, "--assign", "live", "--json"));
        Assert.True(code == ExitCodes.Ok, error);
        report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(-1, Output(report, "live", "valence").GetProperty("ccc").GetDouble(), 1e-6);
        Assert.Equal(-1, Output(report, "live", "arousal").GetProperty("ccc").GetDouble(), 1e-6);
    }

    [Fact]
    public async Task Gaps_of_minus_5_and_frames_before_the_first_output_are_counted_apart()
    {
        // Every 10th frame unlabelled (36 of 360); the other frames labelled, including the 31 before the first live output.
        var text = "valence,arousal\n" + string.Concat(Enumerable.Range(0, 360).Select(i => i % 10 == 0 ? "-5,0.1\n" : string.Create(C, $"{(i % 50) / 100.0},0.1\n")));
        var (code, stdout, error) = await CliRunner.RunAsync(Affect(Labels("gaps.csv", text), "--json"));

        Assert.True(code == ExitCodes.Ok, error);
        var report = JsonDocument.Parse(stdout).RootElement;
        var live = Output(report, "live", "valence");
        Assert.Equal(36, live.GetProperty("unlabelled").GetInt32());
        Assert.Equal(27, live.GetProperty("noPrediction").GetInt32()); // frames 0-30 less the 4 unlabelled among them
        Assert.Equal(297, live.GetProperty("frames").GetInt32());
        var centred = Output(report, "centred", "valence");
        Assert.Equal(324, centred.GetProperty("frames").GetInt32());
        Assert.Equal(0, centred.GetProperty("noPrediction").GetInt32());
        Assert.Equal(31, report.GetProperty("assignments")[0].GetProperty("framesBeforeFirstOutput").GetInt32());

        // arousal labels are one constant: the CCC is defined (the predictions vary) and finite.
        Assert.Equal(JsonValueKind.Number, Output(report, "live", "arousal").GetProperty("ccc").ValueKind);
    }

    [Fact]
    public async Task The_table_says_n_a_where_the_CCC_is_undefined_and_JSON_says_null_with_the_reason()
    {
        // One labelled frame: no CCC.
        var text = "valence\n" + string.Concat(Enumerable.Range(0, 360).Select(i => i == 100 ? "0.2\n" : "-5\n"));
        var labels = Labels("one.csv", text);

        var (code, stdout, error) = await CliRunner.RunAsync(Affect(labels, "--assign", "centred"));
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("n/a", stdout, StringComparison.Ordinal);
        Assert.Contains("valence CCC n/a: 1 frame(s): at least 2 are needed", stdout, StringComparison.Ordinal);

        (code, stdout, _) = await CliRunner.RunAsync(Affect(labels, "--assign", "centred", "--json"));
        var valence = Output(JsonDocument.Parse(stdout).RootElement, "centred", "valence");
        Assert.Equal(JsonValueKind.Null, valence.GetProperty("ccc").ValueKind);
        Assert.Contains("at least 2", valence.GetProperty("cccUndefined").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smoothing_uses_the_pack_s_windows_unless_told_otherwise()
    {
        var labels = Labels("l.csv", "valence,arousal\n" + string.Concat(Enumerable.Range(0, 360).Select(i => string.Create(C, $"{(i % 30) / 60.0},0.1\n"))));

        var (code, stdout, error) = await CliRunner.RunAsync(Affect(labels, "--smooth", "--json", "--smooth-window", "arousal=5", "--out", Path_("s.csv")));

        Assert.True(code == ExitCodes.Ok, error);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(20, report.GetProperty("smoothing").GetProperty("valence").GetInt32());
        Assert.Equal(5, report.GetProperty("smoothing").GetProperty("arousal").GetInt32());
        Assert.Equal(20, Output(report, "centred", "valence").GetProperty("smoothingFrames").GetInt32());

        // The CSV holds the smoothed predictions: within a clip constant, across a clip boundary a blend.
        var p = ReadCsv(Path_("s.csv"));
        Assert.NotEqual(p["valence_centred"][31], p["valence_centred"][0]);
    }

    [Fact]
    public async Task Pain_levels_equal_to_the_predictions_are_all_right_and_shifted_ones_all_wrong()
    {
        var zeros = Labels("zeros.csv", "level\n" + string.Concat(Enumerable.Repeat("0\n", 360)));
        var p = await PredictionsAsync(Pain, zeros);
        Assert.Equal(19, p["clip_live"].Count(c => c is null)); // clip 0 ends at 0.64 s (25 fps clock): frame 19 of the 30 fps video

        var same = Labels("same.csv", "level\n" + string.Concat(p["pain_level_centred"].Select(v => $"{F(v)}\n")));
        var (code, stdout, error) = await CliRunner.RunAsync(Pain(same, "--assign", "centred", "--json"));
        Assert.True(code == ExitCodes.Ok, error);
        var level = Output(JsonDocument.Parse(stdout).RootElement, "centred", "pain_level");
        Assert.Equal(1, level.GetProperty("accuracy").GetDouble());
        Assert.Equal(0, level.GetProperty("meanAbsoluteError").GetDouble());
        Assert.Equal(360, level.GetProperty("frames").GetInt32());
        Assert.Equal("pain_probability", level.GetProperty("binary").GetProperty("output").GetString());

        var shifted = p["pain_level_centred"].Select(v => ((int)v!.Value + 1) % 5).ToArray();
        var wrong = Labels("wrong.csv", "level\n" + string.Concat(shifted.Select(v => $"{v}\n")));
        (code, stdout, error) = await CliRunner.RunAsync(Pain(wrong, "--assign", "centred", "--json"));
        Assert.True(code == ExitCodes.Ok, error);
        level = Output(JsonDocument.Parse(stdout).RootElement, "centred", "pain_level");
        Assert.Equal(0, level.GetProperty("accuracy").GetDouble());
        var mae = p["pain_level_centred"].Zip(shifted).Average(x => Math.Abs(x.First!.Value - x.Second));
        Assert.Equal(mae, level.GetProperty("meanAbsoluteError").GetDouble(), 9);
    }

    [Fact]
    public async Task A_missing_label_file_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync(Affect(Path_("nowhere.csv")));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--labels file", error, StringComparison.Ordinal);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("v,a\n0,0\n", "column 'v' is not an output of pack affect-tiny")]
    [InlineData("valence\n0.1\nabc\n", ":3: valence 'abc' is not a number")]
    [InlineData("valence\n0.1\nInfinity\n", ":3: valence 'Infinity' is not a finite number")]
    public async Task Unusable_labels_are_one_line_errors(string text, string expected)
    {
        var (code, _, error) = await CliRunner.RunAsync(Affect(Labels("bad.csv", text)));

        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(expected.StartsWith("column", StringComparison.Ordinal) ? ExitCodes.Usage : ExitCodes.Failed, code);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Labels_for_a_level_the_affect_pack_lacks_are_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync(Affect(Labels("level.csv", "level\n1\n")));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("column 'level' is not an output of pack affect-tiny", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_label_count_off_by_more_than_one_frame_is_refused_with_both_counts()
    {
        var (code, _, error) = await CliRunner.RunAsync(Affect(Labels("short.csv", "valence\n" + string.Concat(Enumerable.Repeat("0.1\n", 300)))));

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("has 300 label lines but the video has 360 frames", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(359, "359 label lines for 360 video frames; the last frame is not scored")]
    [InlineData(361, "361 label lines for 360 video frames; the last label is ignored")]
    public async Task A_label_count_one_frame_off_is_scored_with_a_warning(int lines, string warning)
    {
        var text = "valence\n" + string.Concat(Enumerable.Range(0, lines).Select(i => string.Create(C, $"{i / 1000.0}\n")));
        var (code, stdout, error) = await CliRunner.RunAsync(Affect(Labels("off.csv", text), "--json"));

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("warning: labels file", error, StringComparison.Ordinal);
        Assert.Contains(warning, error, StringComparison.Ordinal);
        Assert.Equal(Math.Min(lines, 360), Output(JsonDocument.Parse(stdout).RootElement, "centred", "valence").GetProperty("frames").GetInt32());
    }

    [Theory]
    [InlineData("valence=0", "is not OUTPUT=FRAMES")]
    [InlineData("valence", "is not OUTPUT=FRAMES")]
    [InlineData("pain=20", "has no continuous output 'pain'")]
    public async Task A_bad_smoothing_window_is_a_usage_error(string window, string expected)
    {
        var (code, _, error) = await CliRunner.RunAsync(Affect(Labels("l.csv", "valence\n0.1\n"), "--smooth", "--smooth-window", window));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_needs_a_video_for_its_frames()
    {
        var (code, _, error) = await CliRunner.RunAsync("evaluate", "--pack", TestPaths.Pack("affect-tiny"), "--audio", TestMedia.Speech, "--labels", Labels("l.csv", "valence\n0.1\n"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--video", error, StringComparison.Ordinal);
    }
}
