using System.Globalization;
using System.Text;
using System.Xml;

namespace EdgeEmotion.EdgeAgent.Plotting;

/// <summary>
/// The plot as one self-contained page: the title area (pack, inputs, settings, evaluate's
/// figures), the SVG, and how to read it. Inline CSS only: no script, font or image is fetched,
/// so it opens offline in any browser. Written through an <see cref="XmlWriter"/> as XHTML
/// (every element closed, every name escaped), so it also parses as XML.
/// </summary>
public static class ScorePlotPage
{
    public const string XhtmlNamespace = "http://www.w3.org/1999/xhtml";

    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5em; color: #222; background: #fff; }
        h1 { font-size: 1.3em; margin: 0 0 0.4em 0; }
        dl { display: grid; grid-template-columns: max-content auto; gap: 0.15em 1em; margin: 0 0 0.8em 0; font-size: 0.92em; }
        dt { font-weight: 600; } dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
        .warning { color: #8a4b00; font-weight: 600; }
        table { border-collapse: collapse; font-size: 0.9em; margin: 0 0 0.8em 0; }
        th, td { border: 1px solid #ccc; padding: 0.15em 0.6em; text-align: right; } th { background: #f3f3f3; }
        svg { max-width: 100%; height: auto; font-size: 12px; }
        .frame { fill: none; stroke: #888; } .band-frame { fill: #fff; stroke: #bbb; }
        .grid { stroke: #e6e6e6; } .tick, .axis { stroke: #555; }
        .tick-label, .legend-text { fill: #333; } .panel-title { font-weight: 600; font-size: 13px; }
        .panel-stats, .panel-meaning, .note { fill: #555; } .note { font-style: italic; }
        .axis-title { writing-mode: vertical-rl; fill: #333; } .axis-title-right { fill: #6a3d9a; writing-mode: vertical-rl; }
        .axis-title-x { fill: #333; font-weight: 600; }
        .series { fill: none; stroke-linejoin: round; stroke-linecap: round; }
        .score { stroke: #1f5fbf; stroke-width: 1.8; }
        .label { stroke: #e66100; stroke-width: 1.6; opacity: 0.9; }
        .probability { stroke: #6a3d9a; stroke-width: 1.4; stroke-dasharray: 5 3; }
        .uniform { stroke: #6a3d9a; stroke-width: 0.8; stroke-dasharray: 1 3; } .uniform-label { fill: #6a3d9a; }
        .state { stroke: none; } .hatched { fill: url(#hatch); stroke: none; } .hatch { stroke: #a33; stroke-width: 1.2; }
        .band-text { fill: #222; font-size: 11px; }
        .clip-marker, .clip-marker-key { stroke: #444; stroke-width: 1; }
        """;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Writes the page; the same plot gives the same bytes (no clock, no random ids).</summary>
    public static void Write(Stream stream, ScorePlot plot)
    {
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, Encoding = new UTF8Encoding(false), Indent = false, CloseOutput = false };
        using var xml = XmlWriter.Create(stream, settings);
        var caption = plot.Caption;
        xml.WriteRaw("<!DOCTYPE html>\n");
        xml.WriteStartElement("html", XhtmlNamespace);
        xml.WriteAttributeString("lang", "en");
        xml.WriteStartElement("head");
        xml.WriteStartElement("meta");
        xml.WriteAttributeString("charset", "utf-8");
        xml.WriteEndElement();
        Element(xml, "title", $"edgeemo {caption.Command}: {caption.PackId} {caption.PackVersion}, {string.Join(" + ", caption.Inputs.Select(i => Path.GetFileName(i.Value)))}");
        Element(xml, "style", Style);
        xml.WriteEndElement();

        xml.WriteStartElement("body");
        Element(xml, "h1", $"edgeemo {caption.Command}: {caption.PackId} {caption.PackVersion} ({caption.Task}) on {string.Join(" + ", caption.Inputs.Select(i => Path.GetFileName(i.Value)))}");
        if (caption.SyntheticWeights)
        {
            Element(xml, "p", "This pack carries synthetic weights: its scores exercise the pipeline and mean nothing about the person.", "warning");
        }

        Facts(xml, plot);
        if (plot.Labels is { } labels)
        {
            Figures(xml, labels);
        }

        xml.WriteStartElement("figure");
        var drawing = ScorePlotSvg.Write(xml, plot);
        xml.WriteFullEndElement();
        HowToRead(xml, plot, drawing);
        xml.WriteFullEndElement();
        xml.WriteFullEndElement();
    }

    private static void Facts(XmlWriter xml, ScorePlot plot)
    {
        var caption = plot.Caption;
        var points = plot.Trace.Points;
        var facts = new List<PlotFact> { new("pack", $"{caption.PackId} {caption.PackVersion} ({caption.Task})") };
        facts.AddRange(caption.Inputs);
        if (plot.Labels is { } labels)
        {
            facts.Add(new PlotFact("labels", labels.LabelsFile));
        }

        facts.AddRange(caption.Settings);
        var noSignal = points.Count(p => p.Scores is null);
        facts.Add(new PlotFact("outputs", string.Create(C,
            $"{points.Count} over {caption.MediaSeconds:0.00} s of media{(noSignal > 0 ? $", {noSignal} without scores (no-signal)" : "")}")));
        foreach (var modality in plot.Trace.Modalities)
        {
            var states = points.Select(p => p.States.TryGetValue(modality, out var s) ? s.State : null).OfType<string>()
                .GroupBy(s => s, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
            facts.Add(new PlotFact($"{modality} states", string.Join(", ", states)));
        }

        xml.WriteStartElement("dl");
        foreach (var fact in facts)
        {
            Element(xml, "dt", fact.Name);
            Element(xml, "dd", fact.Value);
        }

        xml.WriteFullEndElement();
    }

    private static void Figures(XmlWriter xml, LabelOverlay labels)
    {
        xml.WriteStartElement("table");
        xml.WriteAttributeString("class", "figures");
        xml.WriteStartElement("tr");
        foreach (var head in new[] { "assignment", "output", "CCC", "accuracy", "MAE", "frames", "unlabelled", "no prediction", "smoothing" })
        {
            Element(xml, "th", head);
        }

        xml.WriteFullEndElement();
        foreach (var a in labels.Figures)
        {
            foreach (var o in a.Outputs)
            {
                xml.WriteStartElement("tr");
                xml.WriteAttributeString("data-output", o.Output);
                xml.WriteAttributeString("data-assignment", a.Assignment);
                foreach (var cell in new[]
                {
                    a.Assignment, o.Output, F(o.Ccc, 4, o.Kind != "level"), F(o.Accuracy, 4, o.Kind == "level"), F(o.MeanAbsoluteError, 3, o.Kind == "level"),
                    o.Frames.ToString(C), o.Unlabelled.ToString(C), o.NoPrediction.ToString(C), o.SmoothingFrames is { } w ? $"{w} frames" : "-",
                })
                {
                    Element(xml, "td", cell);
                }

                xml.WriteFullEndElement();
            }
        }

        xml.WriteFullEndElement();
    }

    private static string F(double? value, int decimals, bool applies) =>
        !applies ? "-" : value is { } v ? v.ToString("F" + decimals.ToString(C), C) : "n/a";

    private static void HowToRead(XmlWriter xml, ScorePlot plot, PlotDrawing drawing)
    {
        var text = new StringBuilder(
            "Each panel is one output of the pack: the blue line joins the scores at their clip ends (the time each was produced in the media); " +
            "a gap is an output without scores. A class output shows its expected level (probability-weighted) and, dashed on the right axis, the probability of the predicted level; " +
            "near the dotted uniform line the level is a guess. Below, each modality's band is shaded by its state (ok, held, imagined, substituted; hover for the reason), " +
            "and the clip ends are marked above the time axis, in seconds of media.");
        if (plot.Labels is not null)
        {
            text.Append(" The orange line is the label of each video frame, drawn at the frame's centre; unlabelled frames are gaps. The figures compare per-frame predictions with the labels (docs/evaluate.md).");
        }

        if (drawing.Downsampled)
        {
            text.Append(string.Create(C,
                $" Downsampled: {drawing.PointsIn} points are drawn as the first, lowest, highest and last per pixel column of {drawing.Columns} ({drawing.PointsDrawn} kept), so peaks survive; a column of a state band shows the most severe state in it."));
        }

        Element(xml, "p", text.ToString());
    }

    private static void Element(XmlWriter xml, string name, string text, string? cssClass = null)
    {
        xml.WriteStartElement(name);
        if (cssClass is not null)
        {
            xml.WriteAttributeString("class", cssClass);
        }

        xml.WriteString(text);
        xml.WriteFullEndElement();
    }
}
