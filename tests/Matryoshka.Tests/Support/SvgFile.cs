using System.Globalization;
using System.Xml.Linq;

namespace Matryoshka.Tests;

/// <summary>Reads back the SVG charts and grids the library writes: elements by class, polyline points, numbers.</summary>
public sealed class SvgFile
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public SvgFile(string path) => Root = XDocument.Load(path).Root!;

    public XElement Root { get; }

    public double Width => Number(Root, "width");

    public double Height => Number(Root, "height");

    /// <summary>Elements of one class (series, point, grid, title, x-tick …), in document order.</summary>
    public IReadOnlyList<XElement> OfClass(string kind) => Root.Elements().Where(e => (string?)e.Attribute("class") == kind).ToArray();

    /// <summary>The texts of one class.</summary>
    public IReadOnlyList<string> Texts(string kind) => OfClass(kind).Select(e => e.Value).ToArray();

    /// <summary>The series polylines' names and points.</summary>
    public IReadOnlyList<(string Name, (double X, double Y)[] Points)> Series() =>
        OfClass("series").Select(e => ((string)e.Attribute("data-name")!, Points(e))).ToArray();

    public static double Number(XElement element, string attribute) => double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);

    private static (double X, double Y)[] Points(XElement polyline) =>
        ((string)polyline.Attribute("points")!).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToArray();

    /// <summary>Whether <paramref name="element"/> is an SVG element named <paramref name="name"/>.</summary>
    public static bool Is(XElement element, string name) => element.Name == Svg + name;
}
