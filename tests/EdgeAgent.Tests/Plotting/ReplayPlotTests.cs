using System.Globalization;
using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.EdgeAgent.Tests.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Plotting;

/// <summary>
/// <c>replay --plot</c> and <c>evaluate --plot</c> on the committed media: the page parses as XML
/// and its drawing maps back to the numbers in the JSON Lines file (x = clip end, y = score,
/// within a pixel), the bands to the modality states, the markers to the clips.
/// </summary>
public sealed class ReplayPlotTests : IDisposable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-plot-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string File_(string name) => Path.Combine(folder, name);

    private static List<JsonElement> Lines(string file) =>
        File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private async Task<(List<JsonElement> Lines, PlotDocument Plot, string Error)> ReplayAsync(string pack, params string[] more)
    {
        var (code, _, error) = await CliRunner.RunAsync(["replay", "--pack", TestPaths.Pack(pack), "--out", File_("s.jsonl"), "--plot", File_("s.html"), "--providers", "cpu", .. more]);
        Assert.True(code == ExitCodes.Ok, error);
        return (Lines(File_("s.jsonl")), PlotDocument.Load(File_("s.html")), error);
    }

    [Fact]
    public async Task Each_output_is_one_line_through_its_scores_at_their_clip_ends()
    {
        var (lines, plot, error) = await ReplayAsync("affect-tiny", "--video", TestMedia.FaceVideo, "--audio", TestMedia.Speech);

        Assert.Contains($"plot -> {File_("s.html")}", error, StringComparison.Ordinal);
        Assert.Equal(["valence", "arousal"], plot.Panels.Select(p => (string)p.Attribute("data-output")!));
        foreach (var output in new[] { "valence", "arousal" })
        {
            var run = Assert.Single(plot.Series(output, "score"));
            Assert.Equal(lines.Count, run.Count);
            for (var i = 0; i < lines.Count; i++)
            {
                Assert.Equal(plot.X(lines[i].GetProperty("clipEnd").GetDouble()), run[i].X, 1.0);
                Assert.Equal(plot.Y(output, lines[i].GetProperty("scores").GetProperty(output).GetDouble()), run[i].Y, 1.0);
            }
        }

        // The time axis is truthful: each tick's label sits at its second.
        var ticks = plot.Texts("tick-label").Where(t => t.Parent!.Attribute("class")?.Value == "time-axis").ToList();
        Assert.Equal(Enumerable.Range(0, 13).Select(s => s.ToString(C)), ticks.Select(t => t.Value));
        Assert.All(ticks, t => Assert.Equal(plot.X(double.Parse(t.Value, C)), double.Parse(t.Attribute("x")!.Value, C), 0.1));
        Assert.Contains(plot.Texts("axis-title-x"), t => t.Value == "time in the media (s)");

        Assert.Contains("affect-tiny 1.0.0", plot.Heading, StringComparison.Ordinal);
        Assert.Equal(TestMedia.FaceVideo, plot.Facts["video"]);
        Assert.Equal(TestMedia.Speech, plot.Facts["audio"]);
        Assert.Equal("11 over 12.00 s of media", plot.Facts["outputs"]);
        Assert.Equal("11", plot.ClipMarkers.Attribute("data-count")!.Value);
        Assert.Equal(lines.Select(l => plot.X(l.GetProperty("clipEnd").GetDouble())), plot.ClipMarkerXs, (a, b) => Math.Abs(a - b) <= 0.1);
    }

    [Fact]
    public async Task The_bands_shade_each_output_with_its_modality_state()
    {
        // Speech ends at 10.6 s of the 12 s video: with a short hold the audio goes ok, held, substituted.
        var (lines, plot, _) = await ReplayAsync("affect-tiny", "--video", TestMedia.FaceVideo, "--audio", TestMedia.Speech, "--hop", "8", "--max-hold", "0.5");

        var audio = lines.Select(l => l.GetProperty("modalities").GetProperty("audio").GetProperty("state").GetString()!).ToList();
        Assert.Equal(["ok", "held", "substituted"], audio.Distinct());
        foreach (var modality in new[] { "visual", "audio" })
        {
            var bands = plot.Bands(modality);
            var states = lines.Select(l => l.GetProperty("modalities").GetProperty(modality).GetProperty("state").GetString()!).ToList();

            // One stretch per run of equal states, in order, edge to edge.
            Assert.Equal(states.Where((s, i) => i == 0 || s != states[i - 1]), bands.Select(b => b.State));
            var ends = lines.Select(l => l.GetProperty("clipEnd").GetDouble()).ToList();
            for (var i = 0; i < lines.Count; i++)
            {
                // The first output's stretch starts one spacing before its end, as every later one does.
                var start = i == 0 ? Math.Max(0, ends[0] - (ends[1] - ends[0])) : ends[i - 1];
                var end = lines[i].GetProperty("clipEnd").GetDouble();
                var band = bands.Single(b => b.X0 <= plot.X((start + end) / 2) && plot.X((start + end) / 2) < b.X1);
                Assert.Equal(states[i], band.State);
            }

            Assert.Equal(plot.X(Math.Max(0, ends[0] - (ends[1] - ends[0]))), bands[0].X0, 1.0);
            Assert.Equal(plot.X(lines[^1].GetProperty("clipEnd").GetDouble()), bands[^1].X1, 1.0);
        }

        var held = Assert.Single(plot.Bands("audio"), b => b.State == "held");
        Assert.Contains("(source ended)", held.Title, StringComparison.Ordinal);
        Assert.Equal(plot.X(lines[audio.IndexOf("held") - 1].GetProperty("clipEnd").GetDouble()), held.X0, 1.0);
        Assert.Equal(plot.X(lines[audio.LastIndexOf("held")].GetProperty("clipEnd").GetDouble()), held.X1, 1.0);
        Assert.Equal(string.Join(", ", audio.GroupBy(s => s).Select(g => $"{g.Key} {g.Count()}")), plot.Facts["audio states"]);
    }

    [Fact]
    public async Task Outputs_without_scores_are_gaps_and_the_page_says_how_many()
    {
        // No face and nothing else: every output is no-signal.
        var (lines, plot, _) = await ReplayAsync("affect-tiny", "--video", TestMedia.NoFaceVideo);

        Assert.All(lines, l => Assert.Equal(JsonValueKind.Null, l.GetProperty("scores").ValueKind));
        Assert.Empty(plot.Series("valence", "score"));
        Assert.Contains($"{lines.Count} without scores (no-signal)", plot.Facts["outputs"], StringComparison.Ordinal);
        Assert.All(plot.Bands("visual"), b => Assert.Equal("substituted", b.State));
    }

    [Fact]
    public async Task A_class_output_shows_its_expected_level_and_the_probability_of_the_level()
    {
        var (lines, plot, _) = await ReplayAsync("pain-tiny", "--video", TestMedia.FaceVideo, "--eda", TestMedia.Eda);

        var expected = Assert.Single(plot.Series("pain_level", "score"));
        var probability = Assert.Single(plot.Series("pain_level", "probability"));
        for (var i = 0; i < lines.Count; i++)
        {
            var level = lines[i].GetProperty("scores").GetProperty("pain_level");
            var p = level.GetProperty("probabilities")[level.GetProperty("level").GetInt32()].GetDouble();
            Assert.Equal(plot.Y("pain_level", level.GetProperty("expected").GetDouble()), expected[i].Y, 1.0);
            Assert.Equal(plot.Y("pain_level", p, probability: true), probability[i].Y, 1.0);
        }

        Assert.Contains(plot.Texts("tick-label"), t => t.Value == "0 BL1 no pain");
        Assert.Contains(plot.Texts("tick-label"), t => t.Value == "uniform 0.20");
        Assert.Equal("18", plot.ClipMarkers.Attribute("data-count")!.Value);
    }

    [Fact]
    public async Task The_same_replay_gives_the_same_plot_bytes()
    {
        string[] args = ["replay", "--pack", TestPaths.Pack("affect-tiny"), "--video", TestMedia.FaceVideo, "--out", File_("a.jsonl"), "--providers", "cpu"];
        await CliRunner.RunAsync([.. args, "--plot", File_("1.html")]);
        await CliRunner.RunAsync([.. args, "--plot", File_("2.html")]);

        Assert.Equal(File.ReadAllBytes(File_("1.html")), File.ReadAllBytes(File_("2.html")));
        Assert.False(File.Exists(File_("1.html.partial")));
    }

    [Fact]
    public async Task Evaluate_draws_the_labels_on_the_same_time_axis_with_gaps_and_shows_the_CCC()
    {
        // A label per frame of the 30 fps video, with frames 100-139 unlabelled.
        var labels = Enumerable.Range(0, 360).Select(i => i is >= 100 and < 140 ? (double?)null : Math.Round(0.5 * Math.Sin(i / 40.0), 4)).ToList();
        File.WriteAllText(File_("labels.csv"), "valence\n" + string.Concat(labels.Select(l => (l?.ToString("R", C) ?? "-5") + "\n")));

        var (code, stdout, error) = await CliRunner.RunAsync("evaluate", "--pack", TestPaths.Pack("affect-tiny"), "--video", TestMedia.FaceVideo,
            "--labels", File_("labels.csv"), "--json", "--plot", File_("e.html"), "--providers", "cpu");

        Assert.True(code == ExitCodes.Ok, error);
        var plot = PlotDocument.Load(File_("e.html"));
        var runs = plot.Series("valence", "label");
        Assert.Equal(2, runs.Count); // the unlabelled frames are a gap
        var drawn = runs.SelectMany(r => r).ToList();
        var labelled = labels.Select((l, i) => (l, i)).Where(p => p.l is not null).ToList();
        Assert.Equal(labelled.Count, drawn.Count);
        for (var k = 0; k < drawn.Count; k++)
        {
            Assert.Equal(plot.X((labelled[k].i + 0.5) / 30), drawn[k].X, 1.0);
            Assert.Equal(plot.Y("valence", labelled[k].l!.Value), drawn[k].Y, 1.0);
        }

        Assert.False(plot.HasSeries("arousal", "label")); // arousal has no labels: no line

        var report = JsonDocument.Parse(stdout).RootElement;
        foreach (var assignment in report.GetProperty("assignments").EnumerateArray())
        {
            var name = assignment.GetProperty("assignment").GetString()!;
            var ccc = assignment.GetProperty("outputs")[0].GetProperty("ccc").GetDouble().ToString("F4", C);
            var row = plot.TableRows.Single(r => r.Attribute("data-assignment")!.Value == name);
            Assert.Contains(ccc, row.Value, StringComparison.Ordinal);
            Assert.Contains(plot.Texts("panel-stats"), t => t.Value.Contains($"CCC {ccc} {name}", StringComparison.Ordinal));
        }

        Assert.Equal(File_("labels.csv"), plot.Facts["labels"]);
    }
}
