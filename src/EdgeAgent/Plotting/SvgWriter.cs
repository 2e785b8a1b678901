using System.Globalization;
using System.Xml;

namespace EdgeEmotion.EdgeAgent.Plotting;

/// <summary>
/// Writes SVG elements through an <see cref="XmlWriter"/>, so every name and file path in the
/// plot is escaped and the page parses as XML. Coordinates get one decimal (a tenth of a pixel).
/// </summary>
internal sealed class SvgWriter(XmlWriter xml)
{
    public const string Namespace = "http://www.w3.org/2000/svg";

    public XmlWriter Xml => xml;

    public static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    public void Start(string element, string? cssClass = null)
    {
        xml.WriteStartElement(element, Namespace);
        if (cssClass is not null)
        {
            xml.WriteAttributeString("class", cssClass);
        }
    }

    public void End() => xml.WriteEndElement();

    public void Attribute(string name, string value) => xml.WriteAttributeString(name, value);

    public void Attribute(string name, double value) => xml.WriteAttributeString(name, N(value));

    /// <summary>A tooltip for the element just started (browsers show it on hover, no script needed).</summary>
    public void Title(string text)
    {
        xml.WriteStartElement("title", Namespace);
        xml.WriteString(text);
        xml.WriteEndElement();
    }

    public void Line(double x1, double y1, double x2, double y2, string cssClass)
    {
        Start("line", cssClass);
        Attribute("x1", x1);
        Attribute("y1", y1);
        Attribute("x2", x2);
        Attribute("y2", y2);
        End();
    }

    public void Rect(double x, double y, double width, double height, string cssClass, string? fill = null, string? title = null)
    {
        Start("rect", cssClass);
        Attribute("x", x);
        Attribute("y", y);
        Attribute("width", width);
        Attribute("height", height);
        if (fill is not null)
        {
            Attribute("fill", fill);
        }

        if (title is not null)
        {
            Title(title);
        }

        End();
    }

    public void Text(double x, double y, string text, string cssClass, string anchor = "start")
    {
        Start("text", cssClass);
        Attribute("x", x);
        Attribute("y", y);
        if (anchor != "start")
        {
            Attribute("text-anchor", anchor);
        }

        xml.WriteString(text);
        End();
    }

    /// <summary>A path of straight segments; each run starts a new subpath (M), so gaps stay gaps.</summary>
    public void Path(IEnumerable<IReadOnlyList<(double X, double Y)>> runs, string cssClass, params (string Name, string Value)[] data)
    {
        var d = new System.Text.StringBuilder();
        foreach (var run in runs)
        {
            for (var i = 0; i < run.Count; i++)
            {
                d.Append(d.Length == 0 ? "" : " ").Append(i == 0 ? 'M' : 'L').Append(N(run[i].X)).Append(',').Append(N(run[i].Y));
            }
        }

        Start("path", cssClass);
        foreach (var (name, value) in data)
        {
            Attribute(name, value);
        }

        Attribute("d", d.ToString());
        End();
    }
}
