using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Matryoshka.Training.Plotting;

/// <summary>
/// An SVG document built element by element (System.Xml.Linq escapes the text): lines, polylines, rectangles, text
/// and embedded PNG images, in pixel coordinates with y down. Text is left to the viewer's fonts (monospace, so a
/// label's width can be estimated as <see cref="TextWidth"/>).
/// </summary>
internal sealed class SvgCanvas
{
    /// <summary>The SVG namespace.</summary>
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Width of one character of monospace text at font size 12, for layout.</summary>
    public const double CharacterWidth = 7.2;

    private readonly XElement _root;

    public SvgCanvas(int width, int height)
    {
        (Width, Height) = (width, height);
        _root = new XElement(Svg + "svg",
            new XAttribute("width", width), new XAttribute("height", height), new XAttribute("viewBox", $"0 0 {width} {height}"),
            new XAttribute("font-family", "monospace"), new XAttribute("font-size", 12));
        Rectangle(0, 0, width, height, "#ffffff");
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The estimated width of <paramref name="text"/> at <paramref name="fontSize"/>.</summary>
    public static double TextWidth(string text, double fontSize = 12) => text.Length * CharacterWidth * fontSize / 12;

    /// <summary>Hex notation of an RGB colour.</summary>
    public static string Colour(byte r, byte g, byte b) => $"#{r:x2}{g:x2}{b:x2}";

    public void Line(double x1, double y1, double x2, double y2, string colour, double width = 1, string? kind = null) =>
        Add("line", kind, ("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2), ("stroke", colour), ("stroke-width", width));

    /// <summary>An open line through <paramref name="points"/>; <paramref name="kind"/> and <paramref name="name"/> mark it for readers.</summary>
    public void Polyline(IEnumerable<(double X, double Y)> points, string colour, double width, string kind, string name) =>
        Add("polyline", kind, ("points", string.Join(' ', points.Select(p => $"{Number(p.X)},{Number(p.Y)}"))), ("fill", "none"),
            ("stroke", colour), ("stroke-width", width), ("stroke-linejoin", "round"), ("data-name", name));

    public void Rectangle(double x, double y, double width, double height, string colour, string? kind = null) =>
        Add("rect", kind, ("x", x), ("y", y), ("width", width), ("height", height), ("fill", colour));

    /// <summary>Text whose anchor (start, middle or end) is at (x, y), y being the baseline.</summary>
    public void Text(string text, double x, double y, string anchor = "start", double fontSize = 12, string? kind = null, double? rotate = null)
    {
        var element = Add("text", kind, ("x", x), ("y", y), ("text-anchor", anchor), ("font-size", fontSize), ("fill", "#282828"));
        if (rotate is { } angle) element.SetAttributeValue("transform", $"rotate({Number(angle)} {Number(x)} {Number(y)})");
        element.Value = text;
    }

    /// <summary>A PNG embedded as a data URI, drawn at (x, y) at its own size.</summary>
    public void Png(byte[] png, double x, double y, int width, int height, string? kind = null) =>
        Add("image", kind, ("x", x), ("y", y), ("width", width), ("height", height), ("href", "data:image/png;base64," + Convert.ToBase64String(png)));

    /// <summary>Writes the document (UTF-8 without a byte-order mark, with an XML declaration, indented), atomically.</summary>
    /// <exception cref="Matryoshka.IO.OutputPathException"><paramref name="path"/> is a directory, device, FIFO, socket or symbolic link.</exception>
    public void Save(string path) => Matryoshka.IO.AtomicFile.Write(path, stream =>
    {
        using var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true });
        new XDocument(new XDeclaration("1.0", "utf-8", null), _root).Save(writer);
    });

    /// <summary>Formats a coordinate: invariant, at most two decimals.</summary>
    public static string Number(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);

    private XElement Add(string name, string? kind, params (string Name, object Value)[] attributes)
    {
        var element = new XElement(Svg + name);
        if (kind is not null) element.SetAttributeValue("class", kind);
        foreach (var (attribute, value) in attributes)
            element.SetAttributeValue(attribute, value is double d ? Number(d) : Convert.ToString(value, CultureInfo.InvariantCulture));
        _root.Add(element);
        return element;
    }
}
