using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.Data.Emoji.Svg;

/// <summary>Renders a checked SVG document (see <see cref="SvgSafety"/>) to a square RGBA image with straight alpha.</summary>
public interface ISvgRasterizer
{
    /// <summary>The renderer's name as the command line spells it, e.g. <c>skia</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Renders <paramref name="document"/> into a <paramref name="side"/> × <paramref name="side"/> image, scaled
    /// uniformly to fit and centred; what the SVG does not cover is transparent.
    /// </summary>
    /// <exception cref="SvgIconException">The renderer failed on this SVG.</exception>
    Image<Rgba32> Rasterize(SvgIconDocument document, int side);
}
