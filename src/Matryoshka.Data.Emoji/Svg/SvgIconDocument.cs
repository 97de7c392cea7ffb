using System.Globalization;

namespace Matryoshka.Data.Emoji.Svg;

/// <summary>A standalone SVG document made from an Iconify icon: its body inside an <c>&lt;svg&gt;</c> with the icon's view box.</summary>
/// <param name="Source">Names the icon in errors, e.g. <c>1f34e (red-apple)</c>.</param>
/// <param name="Text">The SVG document.</param>
/// <param name="Width">The document's width in user units (the view box width).</param>
/// <param name="Height">The document's height in user units (the view box height).</param>
public sealed record SvgIconDocument(string Source, string Text, double Width, double Height)
{
    /// <summary>Wraps <paramref name="icon"/> the way Iconify's own tools export it, with both SVG namespaces declared.</summary>
    internal static SvgIconDocument From(IconifyIcon icon, string source)
    {
        ArgumentNullException.ThrowIfNull(icon);
        var invariant = CultureInfo.InvariantCulture;
        var text = string.Format(invariant,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"{2}\" height=\"{3}\" viewBox=\"{0} {1} {2} {3}\">{4}</svg>",
            icon.Left, icon.Top, icon.Width, icon.Height, icon.Body);
        return new SvgIconDocument(source, text, icon.Width, icon.Height);
    }
}
