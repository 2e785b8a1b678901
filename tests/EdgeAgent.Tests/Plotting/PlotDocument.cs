using System.Globalization;
using System.Xml.Linq;
using EdgeEmotion.EdgeAgent.Plotting;

namespace EdgeEmotion.EdgeAgent.Tests.Plotting;

/// <summary>
/// A written plot read back as XML, and its drawing mapped back to seconds and scores through the
/// scales the SVG states (<c>data-t0</c>, <c>data-left</c>, ... on the root and each panel).
/// </summary>
internal sealed class PlotDocument
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly XNamespace Html = ScorePlotPage.XhtmlNamespace;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    private PlotDocument(XDocument document)
    {
        Document = document;
        Root = document.Descendants(Svg + "svg").Single();
    }

    public XDocument Document { get; }

    public XElement Root { get; }

    public static PlotDocument Load(string file) => new(XDocument.Load(file));

    public static PlotDocument Parse(string html) => new(XDocument.Parse(html));

    public string Heading => Document.Descendants(Html + "h1").Single().Value;

    /// <summary>The title area's facts: dt name to dd text.</summary>
    public Dictionary<string, string> Facts => Document.Descendants(Html + "dt").ToDictionary(dt => dt.Value, dt => ((XElement)dt.NextNode!).Value);

    public string PageText => string.Concat(Document.Descendants(Html + "body").Single().DescendantNodes().OfType<XText>().Select(t => t.Value + " "));

    public double PixelsPerSecond => D(Root, "data-width") / (D(Root, "data-t1") - D(Root, "data-t0"));

    public double X(double seconds) => D(Root, "data-left") + ((seconds - D(Root, "data-t0")) * PixelsPerSecond);

    public double Seconds(double x) => D(Root, "data-t0") + ((x - D(Root, "data-left")) / PixelsPerSecond);

    public XElement Panel(string output) => Root.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "panel" && (string?)g.Attribute("data-output") == output);

    public IEnumerable<XElement> Panels => Root.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "panel");

    /// <summary>The y pixel of a value in an output's panel (probability: its 0-1 axis).</summary>
    public double Y(string output, double value, bool probability = false)
    {
        var panel = Panel(output);
        var (min, max) = probability ? (0.0, 1.0) : (D(panel, "data-min"), D(panel, "data-max"));
        return D(panel, "data-top") + ((max - value) / (max - min) * D(panel, "data-height"));
    }

    /// <summary>A series' subpaths (each an unbroken run) as pixel points.</summary>
    public List<List<(double X, double Y)>> Series(string output, string series)
    {
        var path = Root.Descendants(Svg + "path").Single(p => (string?)p.Attribute("data-output") == output && (string?)p.Attribute("data-series") == series);
        var runs = new List<List<(double, double)>>();
        foreach (var command in ((string)path.Attribute("d")!).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (command[0] == 'M')
            {
                runs.Add([]);
            }

            var xy = command[1..].Split(',');
            runs[^1].Add((double.Parse(xy[0], C), double.Parse(xy[1], C)));
        }

        return runs;
    }

    /// <summary>A modality's shaded stretches: state and pixel span.</summary>
    public List<(string State, double X0, double X1, string Title)> Bands(string modality) =>
        Root.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "states" && (string?)g.Attribute("data-modality") == modality)
            .Elements(Svg + "rect").Where(r => r.Attribute("data-state") is not null)
            .Select(r => ((string)r.Attribute("data-state")!, D(r, "x"), D(r, "x") + D(r, "width"), r.Element(Svg + "title")!.Value)).ToList();

    public XElement ClipMarkers => Root.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "clip-markers");

    public List<double> ClipMarkerXs => ClipMarkers.Elements(Svg + "line").Select(l => D(l, "x1")).ToList();

    /// <summary>The SVG texts with <paramref name="cssClass"/> among their classes.</summary>
    public IEnumerable<XElement> Texts(string cssClass) =>
        Root.Descendants(Svg + "text").Where(t => ((string?)t.Attribute("class"))?.Split(' ').Contains(cssClass) == true);

    public bool HasSeries(string output, string series) =>
        Root.Descendants(Svg + "path").Any(p => (string?)p.Attribute("data-output") == output && (string?)p.Attribute("data-series") == series);

    public IEnumerable<XElement> TableRows => Document.Descendants(Html + "tr").Where(r => r.Attribute("data-output") is not null);

    private static double D(XElement element, string attribute) => double.Parse((string)element.Attribute(attribute)!, C);
}
