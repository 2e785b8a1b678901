using System.Globalization;
using System.Xml;
using EdgeEmotion.EdgeAgent.Evaluation;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Plotting;

/// <summary>What the drawing did with the points: how many there were and how many it drew.</summary>
/// <param name="Columns">Pixel columns across the time axis: the most points a series keeps per column is four.</param>
public sealed record PlotDrawing(int Columns, int PointsIn, int PointsDrawn)
{
    public bool Downsampled => PointsDrawn < PointsIn;
}

/// <summary>
/// Draws a <see cref="ScorePlot"/> as one SVG: a panel per output (scores at their clip ends; a
/// class output's expected level with the predicted level's probability on a second axis; labels
/// when evaluating), a band per modality shaded by state, the clip ends, and the time axis in
/// seconds. The root and each panel carry their scales as data attributes, so a test (or a
/// reader's tool) can map any point back to seconds and score.
/// </summary>
public static class ScorePlotSvg
{
    public const double Width = 1200;
    public const double Left = 170;
    public const double Right = 100;
    private const double LegendHeight = 58;
    private const double PanelHeader = 40;
    private const double PanelBody = 150;
    private const double PanelGap = 18;
    private const double Pad = 6; // keeps a line on the range's edge off the frame
    private const double BandsHeader = 20;
    private const double BandHeight = 20;
    private const double BandGap = 4;
    private const double ClipStrip = 26;
    private const double AxisHeight = 52;
    private const double MarkerSpacing = 3; // closer clip ends than this many pixels are not marked one by one

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static PlotDrawing Write(XmlWriter xml, ScorePlot plot)
    {
        var svg = new SvgWriter(xml);
        var trace = plot.Trace;
        var time = new TimeScale(0, plot.End > 0 ? plot.End : 1, Left, Width - Left - Right);
        var height = LegendHeight + (trace.Outputs.Count * (PanelHeader + PanelBody + PanelGap)) + BandsHeader
            + (trace.Modalities.Count * (BandHeight + BandGap)) + ClipStrip + AxisHeight;
        svg.Start("svg");
        svg.Attribute("viewBox", $"0 0 {SvgWriter.N(Width)} {SvgWriter.N(height)}");
        svg.Attribute("width", Width);
        svg.Attribute("height", height);
        svg.Attribute("role", "img");
        svg.Attribute("data-t0", time.Start);
        svg.Attribute("data-t1", time.End.ToString("R", C));
        svg.Attribute("data-left", time.Left);
        svg.Attribute("data-width", time.Width);
        svg.Title($"{plot.Caption.PackId} {plot.Caption.PackVersion}: {trace.Points.Count} outputs over {time.End.ToString("F2", C)} s of media");
        Defs(svg);
        Legend(svg, plot);

        var counts = new int[2];
        var y = LegendHeight;
        foreach (var output in trace.Outputs)
        {
            Panel(svg, plot, output, time, y, counts);
            y += PanelHeader + PanelBody + PanelGap;
        }

        y = Bands(svg, trace, time, y);
        ClipMarkers(svg, trace, time, y);
        TimeAxis(svg, time, y + ClipStrip);
        var drawing = new PlotDrawing((int)Math.Ceiling(time.Width), counts[0], counts[1]);
        if (drawing.Downsampled)
        {
            svg.Text(Left, 50, $"Downsampled: {drawing.PointsIn} points as the first, lowest, highest and last per pixel column ({drawing.PointsDrawn} drawn), so peaks survive; bands show each column's most severe state.", "note");
        }

        svg.End();
        return drawing;
    }

    private static void Defs(SvgWriter svg)
    {
        // Substituted stretches are hatched as well as coloured, so they read without colour vision.
        svg.Start("defs");
        svg.Start("pattern");
        svg.Attribute("id", "hatch");
        svg.Attribute("width", 6);
        svg.Attribute("height", 6);
        svg.Attribute("patternUnits", "userSpaceOnUse");
        svg.Attribute("patternTransform", "rotate(45)");
        svg.Line(0, 0, 0, 6, "hatch");
        svg.End();
        svg.End();
    }

    private static void Legend(SvgWriter svg, ScorePlot plot)
    {
        svg.Start("g", "legend");
        var x = Left;
        var y = 16.0;
        var hasClass = plot.Trace.Outputs.Any(o => o.Kind == OutputKinds.ClassLogits);
        LegendLine(svg, ref x, y, "score", "score at its clip end");
        if (hasClass)
        {
            LegendLine(svg, ref x, y, "probability", "probability of the predicted level (right axis)");
        }

        if (plot.Labels is not null)
        {
            LegendLine(svg, ref x, y, "label", "label (per frame)");
        }

        svg.Line(x, y - 9, x, y + 3, "clip-marker-key");
        svg.Text(x + 6, y, "clip end", "legend-text");

        x = Left;
        y += 18;
        var states = StatePalette.Known.Concat(plot.Trace.Points.SelectMany(p => p.States.Values.Select(s => s.State)))
            .Distinct(StringComparer.Ordinal).ToList();
        foreach (var state in states)
        {
            svg.Rect(x, y - 10, 22, 12, "state", StatePalette.Colour(state), $"{state}: {StatePalette.Meaning(state)}");
            if (state == "substituted")
            {
                svg.Rect(x, y - 10, 22, 12, "hatched");
            }

            svg.Text(x + 27, y, state, "legend-text");
            x += 40 + (state.Length * 7.5);
        }

        svg.Text(x + 10, y, "gap in a line: no scores (no-signal) or no label", "legend-text");
        svg.End();
    }

    private static void LegendLine(SvgWriter svg, ref double x, double y, string series, string text)
    {
        svg.Line(x, y - 4, x + 26, y - 4, $"series {series}");
        svg.Text(x + 32, y, text, "legend-text");
        x += 44 + (text.Length * 6.6);
    }

    private static void Panel(SvgWriter svg, ScorePlot plot, OutputSpec output, TimeScale time, double top, int[] counts)
    {
        var isClass = output.Kind == OutputKinds.ClassLogits;
        var labels = plot.Labels?.Columns.FirstOrDefault(c => c.Output == output.Name);
        var scores = Runs(plot.Trace.Points, p => p.Scores?.GetValueOrDefault(output.Name) is { } s ? s.Value : null);
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
            var levelProbability = Runs(plot.Trace.Points, p => p.Scores?.GetValueOrDefault(output.Name).LevelProbability);
            Series(svg, levelProbability, time, probability, "probability", output.Name, counts);
        }

        svg.End();
    }

    private static void PanelHeading(SvgWriter svg, ScorePlot plot, OutputSpec output, double top, bool isClass)
    {
        var range = isClass
            ? $"class output, {output.Classes?.Count ?? 0} levels; line: expected level"
            : output.Min is { } min && output.Max is { } max ? $"{output.Kind}, {min.ToString(C)} to {max.ToString(C)}" : output.Kind;
        var title = $"{output.Name} ({range})";
        svg.Text(Left, top + 14, title, "panel-title");
        var values = plot.Trace.Points.Select(p => p.Scores?.GetValueOrDefault(output.Name)).Where(s => s is not null).Select(s => s!.Value.Value).ToList();
        var stats = values.Count == 0
            ? "no scores"
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

    private static void Series(SvgWriter svg, List<List<(double T, double V)>> runs, TimeScale time, ValueScale scale, string series, string output, int[] counts)
    {
        var drawn = new List<IReadOnlyList<(double X, double Y)>>();
        foreach (var run in runs)
        {
            var kept = MinMaxColumns.Reduce([.. run.Select(p => new PlotPoint(time.X(p.T), p.V))]);
            counts[0] += run.Count;
            counts[1] += kept.Count;
            drawn.Add([.. kept.Select(p => (p.X, scale.Y(p.Y)))]);
        }

        svg.Path(drawn, $"series {series}", ("data-output", output), ("data-series", series));
    }

    // Unbroken stretches of a series in time order; a point without a value (no-signal) ends a stretch.
    private static List<List<(double T, double V)>> Runs(IReadOnlyList<TracePoint> points, Func<TracePoint, double?> value)
    {
        var runs = new List<List<(double, double)>>();
        List<(double, double)>? current = null;
        foreach (var point in points)
        {
            if (value(point) is { } v)
            {
                (current ??= []).Add((point.ClipEnd, v));
                continue;
            }

            if (current is not null)
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

    // Labels at each frame's centre; an unlabelled frame ends a stretch.
    private static List<List<(double T, double V)>> LabelRuns(LabelColumn labels, double frameRate)
    {
        var points = labels.Values.Select((v, i) => new TracePoint(i, (i + 0.5) / frameRate, null, new Dictionary<string, TraceState>())).ToList();
        return Runs(points, p => labels.Values[(int)p.Clip]);
    }

    // The output's stated range; a regression without one spans its data (a flat line gets room around it).
    private static (double Min, double Max) ValueRange(OutputSpec output, IEnumerable<List<(double T, double V)>> runs)
    {
        if (output.Kind == OutputKinds.ClassLogits)
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

    private static double Bands(SvgWriter svg, ReplayTrace trace, TimeScale time, double top)
    {
        svg.Text(Left, top + 14, "modality states (each output's state from the previous clip end to its own)", "panel-stats");
        var y = top + BandsHeader;
        foreach (var modality in trace.Modalities)
        {
            svg.Start("g", "states");
            svg.Attribute("data-modality", modality);
            svg.Text(Left - 8, y + 14, modality, "tick-label", "end");
            svg.Rect(Left, y, time.Width, BandHeight, "band-frame");
            foreach (var band in StateBands.For(trace.Points, modality, time))
            {
                var title = string.Create(C, $"{modality}: {band.State} {band.Start:0.00}-{band.End:0.00} s{(band.Reason is { } r ? $" ({r})" : "")}");
                svg.Start("rect", "state");
                svg.Attribute("data-state", band.State);
                svg.Attribute("x", Left + band.FirstColumn);
                svg.Attribute("y", y);
                svg.Attribute("width", band.EndColumn - band.FirstColumn);
                svg.Attribute("height", BandHeight);
                svg.Attribute("fill", StatePalette.Colour(band.State));
                svg.Title(title);
                svg.End();
                if (band.State == "substituted")
                {
                    svg.Rect(Left + band.FirstColumn, y, band.EndColumn - band.FirstColumn, BandHeight, "hatched");
                }

                // The state's name on the band where it fits: colour is never the only cue.
                if (band.EndColumn - band.FirstColumn >= (band.State.Length * 7) + 8)
                {
                    svg.Text(Left + ((band.FirstColumn + band.EndColumn) / 2.0), y + 14, band.State, "band-text", "middle");
                }
            }

            svg.End();
            y += BandHeight + BandGap;
        }

        return y;
    }

    private static void ClipMarkers(SvgWriter svg, ReplayTrace trace, TimeScale time, double top)
    {
        svg.Start("g", "clip-markers");
        svg.Attribute("data-count", trace.Points.Count.ToString(C));
        svg.Text(Left - 8, top + 14, "clip ends", "tick-label", "end");
        if (trace.Points.Count > 0 && trace.Points.Count <= time.Width / MarkerSpacing)
        {
            foreach (var point in trace.Points)
            {
                svg.Start("line", "clip-marker");
                svg.Attribute("x1", time.X(point.ClipEnd));
                svg.Attribute("y1", top + 4);
                svg.Attribute("x2", time.X(point.ClipEnd));
                svg.Attribute("y2", top + 18);
                svg.Title(string.Create(C, $"clip {point.Clip} ends at {point.ClipEnd:0.000} s"));
                svg.End();
            }
        }
        else if (trace.Points.Count > 0)
        {
            svg.Text(Left, top + 14, $"{trace.Points.Count} clip ends, closer than {MarkerSpacing.ToString(C)} px: not marked one by one", "panel-stats");
        }

        svg.End();
    }

    private static void TimeAxis(SvgWriter svg, TimeScale time, double top)
    {
        svg.Start("g", "time-axis");
        svg.Line(Left, top, Left + time.Width, top, "axis");
        foreach (var t in time.Ticks())
        {
            svg.Line(time.X(t), top, time.X(t), top + 6, "tick");
            svg.Text(time.X(t), top + 20, time.Label(t), "tick-label", "middle");
        }

        svg.Text(Left + (time.Width / 2), top + 42, "time in the media (s)", "axis-title-x", "middle");
        svg.End();
    }
}

/// <summary>evaluate's figures for one output in a line: CCC (continuous) or accuracy and MAE (level), per assignment.</summary>
public static class FigureText
{
    public static string? For(string output, IReadOnlyList<AssignmentFigures> figures)
    {
        var parts = figures.SelectMany(a => a.Outputs.Where(o => o.Output == output).Select(o => o.Kind == "level"
            ? string.Create(CultureInfo.InvariantCulture, $"accuracy {F(o.Accuracy, 3)} {a.Assignment} (MAE {F(o.MeanAbsoluteError, 2)}, {o.Frames} frames)")
            : string.Create(CultureInfo.InvariantCulture, $"CCC {F(o.Ccc, 4)} {a.Assignment} ({o.Frames} frames{(o.SmoothingFrames is { } w ? $", smoothed {w}" : "")})"))).ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static string F(double? value, int decimals) =>
        value is { } v ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";
}
