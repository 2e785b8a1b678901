using System.Globalization;
using EdgeEmotion.EdgeAgent.Evaluation;
using EdgeEmotion.Runtime.Packs;
using static EdgeEmotion.EdgeAgent.Plotting.ScorePlotSvg;

namespace EdgeEmotion.EdgeAgent.Plotting;

/// <summary>
/// One output's panel: the heading (name, range, meaning, what was scored, evaluate's figures),
/// the value axis (a class output's levels by name, and the 0-1 axis of the level's probability),
/// the score line, and the label line when evaluating. Each line is thinned per pixel column
/// (<see cref="MinMaxColumns"/>) and counted in <see cref="PointCounts"/>.
/// </summary>
internal static class OutputPanel
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Draw(SvgWriter svg, ScorePlot plot, OutputSpec output, TimeScale time, double top, PointCounts counts)
    {
        var isClass = OutputKinds.IsClass(output.Kind);
        var labels = plot.Labels?.Columns.FirstOrDefault(c => c.Output == output.Name);
        var scores = Runs(plot.Trace.Points.Select(p => (p.ClipEnd, p.Scores?.GetValueOrDefault(output.Name) is { } s ? s.Value : (double?)null)));
        var labelRuns = labels is null ? [] : LabelRuns(labels, plot.Labels!.FrameRate);
        var values = ValueRange(output, scores.Concat(labelRuns));
        var body = top + PanelHeader;
        var scale = new ValueScale(values.Min, values.Max, body + Pad, PanelBody - (2 * Pad));
        var probability = new ValueScale(0, 1, body + Pad, PanelBody - (2 * Pad));

        svg.Start("g", "panel");
        svg.Attribute("data-output", output.Name);
        svg.Attribute("data-kind", output.Kind);
        svg.Attribute("data-top", scale.Top);
        svg.Attribute("data-height", scale.Height);
        svg.Attribute("data-min", scale.Min.ToString("R", C));
        svg.Attribute("data-max", scale.Max.ToString("R", C));
        PanelHeading(svg, plot, output, top, isClass);
        svg.Rect(Left, body, time.Width, PanelBody, "frame");
        foreach (var t in time.Ticks())
        {
            svg.Line(time.X(t), body, time.X(t), body + PanelBody, "grid");
        }

        foreach (var v in isClass ? Enumerable.Range(0, output.Classes?.Count ?? 1).Select(l => (double)l).ToList() : scale.Ticks())
        {
            svg.Line(Left, scale.Y(v), Left + time.Width, scale.Y(v), "grid");
            svg.Line(Left - 5, scale.Y(v), Left, scale.Y(v), "tick");
            var text = isClass ? ClassTick(output, (int)v) : v.ToString("0.###", C);
            svg.Text(Left - 8, scale.Y(v) + 4, text, "tick-label", "end");
        }

        svg.Text(isClass ? 20 : Left - 58, body + (PanelBody / 2), isClass ? "level" : output.Name, "axis-title", "middle");
        if (isClass)
        {
            ProbabilityAxis(svg, output, time, probability);
        }

        if (labels is not null)
        {
            Series(svg, labelRuns, time, scale, "label", output.Name, counts);
        }

        Series(svg, scores, time, scale, "score", output.Name, counts);
        if (isClass)
        {
            var levelProbability = Runs(plot.Trace.Points.Select(p => (p.ClipEnd, p.Scores?.GetValueOrDefault(output.Name).LevelProbability)));
            Series(svg, levelProbability, time, probability, "probability", output.Name, counts);
        }

        svg.End();
    }

    private static string ClassName(OutputSpec output, int level) =>
        output.Classes is { } classes && level >= 0 && level < classes.Count ? classes[level] : level.ToString(C);

    private static void PanelHeading(SvgWriter svg, ScorePlot plot, OutputSpec output, double top, bool isClass)
    {
        // Unordered classes (class probabilities) draw the predicted class: a mean or min of class indices means nothing, a count per class does.
        var unordered = output.Kind == OutputKinds.ClassProbabilities;
        var range = isClass
            ? $"class output, {output.Classes?.Count ?? 0} {(unordered ? "classes; line: predicted class" : "levels; line: expected level")}"
            : output.Min is { } min && output.Max is { } max ? $"{output.Kind}, {min.ToString(C)} to {max.ToString(C)}" : output.Kind;
        var title = $"{output.Name} ({range})";
        svg.Text(Left, top + 14, title, "panel-title");
        var scored = plot.Trace.Points.Select(p => p.Scores?.GetValueOrDefault(output.Name)).Where(s => s is not null).Select(s => s!.Value).ToList();
        var values = scored.Select(s => s.Value).ToList();
        var stats = values.Count == 0
            ? "no scores"
            : unordered
                ? string.Create(C, $"{values.Count} of {plot.Trace.Points.Count} outputs scored: {string.Join(", ", scored.GroupBy(s => s.Level ?? -1).OrderByDescending(g => g.Count()).Select(g => $"{ClassName(output, g.Key)} {g.Count()}"))}")
                : string.Create(C, $"{values.Count} of {plot.Trace.Points.Count} outputs scored: min {values.Min():0.0000}, mean {values.Average():0.0000}, max {values.Max():0.0000}");
        if (plot.Labels is { } labels && FigureText.For(output.Name, labels.Figures) is { } figures)
        {
            stats += "; " + figures;
        }

        svg.Text(Left, top + 31, stats, "panel-stats");
        // The meaning on the right of the title, cut to the room left (about 7.5 px a bold character, 6.3 a plain one).
        var room = (int)((Width - Left - Right - (title.Length * 7.5) - 20) / 6.3);
        if (output.Meaning is { } meaning && room > 10)
        {
            svg.Start("text", "panel-meaning");
            svg.Attribute("x", Width - Right);
            svg.Attribute("y", top + 14);
            svg.Attribute("text-anchor", "end");
            svg.Title(meaning);
            svg.Xml.WriteString(meaning.Length <= room ? meaning : meaning[..(room - 1)] + "…");
            svg.End();
        }
    }

    private static string ClassTick(OutputSpec output, int level)
    {
        var name = output.Classes is { } classes && level < classes.Count ? classes[level] : "";
        name = name.Length > 16 ? name[..15] + "…" : name;
        return name.Length == 0 ? level.ToString(C) : $"{level.ToString(C)} {name}";
    }

    private static void ProbabilityAxis(SvgWriter svg, OutputSpec output, TimeScale time, ValueScale probability)
    {
        var right = Left + time.Width;
        foreach (var p in new[] { 0, 0.5, 1 })
        {
            svg.Line(right, probability.Y(p), right + 5, probability.Y(p), "tick");
            svg.Text(right + 8, probability.Y(p) + 4, p.ToString("0.0", C), "tick-label");
        }

        // A level whose probability sits at this line is a guess: the distribution is nearly uniform.
        var uniform = 1.0 / Math.Max(1, output.Classes?.Count ?? 1);
        svg.Line(Left, probability.Y(uniform), right, probability.Y(uniform), "uniform");
        svg.Text(right + 8, probability.Y(uniform) + 4, $"uniform {uniform.ToString("0.00", C)}", "tick-label uniform-label");
        svg.Text(right + 44, probability.Y(0.5) - 30, "probability", "axis-title-right");
    }

    private static void Series(SvgWriter svg, List<List<(double T, double V)>> runs, TimeScale time, ValueScale scale, string series, string output, PointCounts counts)
    {
        var drawn = new List<IReadOnlyList<(double X, double Y)>>();
        foreach (var run in runs)
        {
            var kept = MinMaxColumns.Reduce([.. run.Select(p => new PlotPoint(time.X(p.T), p.V))]);
            counts.In += run.Count;
            counts.Drawn += kept.Count;
            drawn.Add([.. kept.Select(p => (p.X, scale.Y(p.Y)))]);
        }

        svg.Path(drawn, $"series {series}", ("data-output", output), ("data-series", series));
    }

    // Unbroken stretches of a series in time order; a point without a value (no-signal, unlabelled) ends a stretch.
    private static List<List<(double T, double V)>> Runs(IEnumerable<(double T, double? V)> points)
    {
        var runs = new List<List<(double, double)>>();
        List<(double, double)>? current = null;
        foreach (var (t, value) in points)
        {
            if (value is { } v)
            {
                (current ??= []).Add((t, v));
            }
            else if (current is not null)
            {
                runs.Add(current);
                current = null;
            }
        }

        if (current is not null)
        {
            runs.Add(current);
        }

        return runs;
    }

    // Labels at each frame's centre.
    private static List<List<(double T, double V)>> LabelRuns(LabelColumn labels, double frameRate) =>
        Runs(labels.Values.Select((v, i) => ((i + 0.5) / frameRate, v)));

    // The output's stated range; a regression without one spans its data (a flat line gets room around it).
    private static (double Min, double Max) ValueRange(OutputSpec output, IEnumerable<List<(double T, double V)>> runs)
    {
        if (OutputKinds.IsClass(output.Kind))
        {
            return (0, Math.Max(1, (output.Classes?.Count ?? 2) - 1));
        }

        if (output.Min is { } min && output.Max is { } max && max > min)
        {
            return (min, max);
        }

        var values = runs.SelectMany(r => r.Select(p => p.V)).ToList();
        var low = output.Min ?? (values.Count == 0 ? 0 : values.Min());
        var high = output.Max ?? (values.Count == 0 ? 1 : values.Max());
        var margin = high > low ? (high - low) * 0.05 : 0.5;
        return (output.Min ?? low - margin, output.Max ?? high + margin);
    }
}

/// <summary>Points a drawing was given and points it drew, across its series.</summary>
internal sealed class PointCounts
{
    public int In { get; set; }

    public int Drawn { get; set; }
}
