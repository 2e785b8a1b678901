using System.Globalization;
using System.Xml;
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
    internal const double PanelHeader = 40;
    internal const double PanelBody = 150;
    private const double PanelGap = 18;
    internal const double Pad = 6; // keeps a line on the range's edge off the frame
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

        var counts = new PointCounts();
        var y = LegendHeight;
        foreach (var output in trace.Outputs)
        {
            OutputPanel.Draw(svg, plot, output, time, y, counts);
            y += PanelHeader + PanelBody + PanelGap;
        }

        y = Bands(svg, trace, time, y);
        ClipMarkers(svg, trace, time, y);
        TimeAxis(svg, time, y + ClipStrip);
        var drawing = new PlotDrawing((int)Math.Ceiling(time.Width), counts.In, counts.Drawn);
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
        var hasClass = plot.Trace.Outputs.Any(o => OutputKinds.IsClass(o.Kind));
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
