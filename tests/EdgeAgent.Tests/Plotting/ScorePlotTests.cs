using System.Globalization;
using System.Text;
using EdgeEmotion.EdgeAgent.Evaluation;
using EdgeEmotion.EdgeAgent.Plotting;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Plotting;

/// <summary>The plot of hand-made score lines: an hour stays small and keeps its peaks; any state string is drawn and named.</summary>
public sealed class ScorePlotTests
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly PackManifest Affect = ManifestReader.ReadFile(Path.Combine(TestPaths.Pack("affect-tiny"), "manifest.json"));

    private static string Line(long clip, double end, double? valence, string audioState, string? reason = null)
    {
        var scores = valence is { } v ? string.Create(C, $"{{\"valence\":{v:F6},\"arousal\":0.000000}}") : "null";
        var audio = reason is null ? $"{{\"state\":\"{audioState}\"}}" : $"{{\"state\":\"{audioState}\",\"reason\":\"{reason}\"}}";
        return string.Create(C, $"{{\"clip\":{clip},\"clipEnd\":{end:F3},\"status\":\"ok\",\"scores\":{scores},\"modalities\":{{\"visual\":{{\"state\":\"ok\"}},\"audio\":{audio}}}}}");
    }

    private static (string Html, PlotDocument Plot) Render(ReplayTrace trace, double media)
    {
        var caption = new PlotCaption("replay", "affect-tiny", "1.0.0", "affect", false, [new PlotFact("video", "ward <3> & co.mp4")], [], media);
        using var stream = new MemoryStream();
        ScorePlotPage.Write(stream, new ScorePlot(caption, trace));
        var html = Encoding.UTF8.GetString(stream.ToArray());
        return (html, PlotDocument.Parse(html));
    }

    [Fact]
    public void An_hour_of_outputs_is_drawn_in_a_bounded_page_that_keeps_every_peak()
    {
        // An hour at hop 8 (30 fps): 13 500 outputs, a slow wave with one spike up, one down, and one held output.
        var trace = new ReplayTrace(Affect);
        const int count = 13_500;
        for (var i = 0; i < count; i++)
        {
            var valence = i == 4_321 ? 0.95 : i == 9_876 ? -0.9 : 0.2 * Math.Sin(i / 700.0);
            trace.Add(Line(i, (i + 4) * 8 / 30.0, valence, i == 6_000 ? "held" : "ok", i == 6_000 ? "silence" : null));
        }

        var (html, plot) = Render(trace, 3600);

        Assert.InRange(html.Length, 1, 200_000);
        var run = Assert.Single(plot.Series("valence", "score"));
        Assert.InRange(run.Count, 900, 4 * (int)Math.Ceiling(ScorePlotSvg.Width - ScorePlotSvg.Left - ScorePlotSvg.Right));
        Assert.Equal(plot.Y("valence", 0.95), run.Min(p => p.Y), 1.0); // highest value = smallest y
        Assert.Equal(plot.Y("valence", -0.9), run.Max(p => p.Y), 1.0);
        Assert.Equal(plot.X((4_321 + 4) * 8 / 30.0), run.MinBy(p => p.Y).X, 1.0);
        Assert.Contains("Downsampled: 27000 points", plot.PageText, StringComparison.Ordinal);
        Assert.Contains(plot.Texts("note"), t => t.Value.StartsWith("Downsampled: 27000 points", StringComparison.Ordinal));

        // One held output in an hour still shades a column, with its reason.
        var held = Assert.Single(plot.Bands("audio"), b => b.State == "held");
        Assert.InRange(held.X1 - held.X0, 1, 2);
        Assert.Contains("(silence)", held.Title, StringComparison.Ordinal);
        Assert.Equal(3, plot.Bands("audio").Count);

        // Clip ends closer than 3 px are not drawn one by one, but counted.
        Assert.Equal("13500", plot.ClipMarkers.Attribute("data-count")!.Value);
        Assert.Empty(plot.ClipMarkerXs);

        // Ticks at a round step in seconds, with minutes beside them.
        Assert.Contains(plot.Texts("tick-label"), t => t.Value == "600 (10:00)");
        Assert.Contains(plot.Texts("tick-label"), t => t.Value == "3600 (1:00:00)");
    }

    [Fact]
    public void Unordered_class_probabilities_draw_the_predicted_class_and_count_each_class()
    {
        var expression = ManifestReader.ReadFile(Path.Combine(TestPaths.Pack("expression"), "manifest.json"));
        var trace = new ReplayTrace(expression);
        string Expression(long clip, int level, string label, double p) => string.Create(C,
            $"{{\"clip\":{clip},\"clipEnd\":{(clip + 1) * 8 / 30.0:F3},\"status\":\"ok\",\"scores\":{{\"expression\":{{\"level\":{level},\"label\":\"{label}\",\"probability\":{p:F6},\"probabilities\":[0,0,0,0,0,0,0]}}}},\"modalities\":{{\"visual\":{{\"state\":\"ok\"}}}}}}");
        trace.Add(Expression(0, 1, "happy", 0.9));
        trace.Add(Expression(1, 1, "happy", 0.8));
        trace.Add(Expression(2, 6, "surprised", 0.7));

        var (_, plot) = Render(trace, 1);

        Assert.Contains(plot.Texts("panel-title"), t => t.Value == "expression (class output, 7 classes; line: predicted class)");
        Assert.Contains(plot.Texts("panel-stats"), t => t.Value == "3 of 3 outputs scored: happy 2, surprised 1");
        var line = Assert.Single(plot.Series("expression", "score"));
        Assert.Equal(plot.Y("expression", 6), line.Min(p => p.Y), 1.0); // the line reaches the predicted class, not an average
    }

    [Fact]
    public void A_minute_is_drawn_point_for_point()
    {
        var trace = new ReplayTrace(Affect);
        for (var i = 0; i < 56; i++)
        {
            trace.Add(Line(i, (i + 1) * 32 / 30.0, 0.01 * i, "ok"));
        }

        var (html, plot) = Render(trace, 60);

        Assert.InRange(html.Length, 1, 60_000);
        Assert.Equal(56, Assert.Single(plot.Series("valence", "score")).Count);
        Assert.Equal(56, plot.ClipMarkerXs.Count);
        Assert.DoesNotContain("Downsampled", plot.PageText, StringComparison.Ordinal);
        Assert.Contains(plot.Texts("tick-label"), t => t.Value == "60");
    }

    [Fact]
    public void Any_state_string_gets_a_band_a_colour_and_a_legend_entry()
    {
        var trace = new ReplayTrace(Affect);
        string[] states = ["ok", "imagined", "imagined", "dreamt", "substituted"];
        for (var i = 0; i < states.Length; i++)
        {
            trace.Add(Line(i, (i + 1) * 32 / 30.0, i == 2 ? null : 0.1, states[i]));
        }

        var (_, plot) = Render(trace, 6);

        Assert.Equal(["ok", "imagined", "dreamt", "substituted"], plot.Bands("audio").Select(b => b.State));
        var legend = plot.Texts("legend-text").Select(t => t.Value).ToList();
        Assert.Contains("imagined", legend);
        Assert.Contains("dreamt", legend);
        Assert.Equal(StatePalette.OtherColour, StatePalette.Colour("dreamt"));
        Assert.NotEqual(StatePalette.Colour("imagined"), StatePalette.Colour("held"));
        Assert.Equal(2, plot.Series("valence", "score").Count); // the no-signal output is not drawn
    }

    [Fact]
    public void A_level_label_gives_its_panel_the_accuracy_and_the_probability_panel_the_binary_accuracy()
    {
        var level = new OutputFigures("pain_level", "level", 301, 40, 19, null, null, null, 4, 0, 2, 1, 0.2392, 1.953, new BinaryFigures("pain_probability", 301, 0.1761));
        AssignmentFigures[] figures = [new("live", 19, 0, [level])];

        Assert.Equal("accuracy 0.239 live (MAE 1.95, 301 frames)", FigureText.For("pain_level", figures));
        Assert.Equal("binary accuracy 0.176 live (>= 0.5 vs pain_level > 0, 301 frames)", FigureText.For("pain_probability", figures));
        Assert.Null(FigureText.For("valence", figures));
    }

    [Fact]
    public void Names_are_escaped_and_the_page_fetches_nothing()
    {
        var trace = new ReplayTrace(Affect);
        trace.Add(Line(0, 1.067, 0.1, "ok"));

        var (html, plot) = Render(trace, 2);

        Assert.Equal("ward <3> & co.mp4", plot.Facts["video"]);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        foreach (var fetch in new[] { "<script", "http:", "https:", "@import", "@font-face", "<img", "<link" })
        {
            Assert.DoesNotContain(fetch, html.Replace("http://www.w3.org/", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        }
    }
}
