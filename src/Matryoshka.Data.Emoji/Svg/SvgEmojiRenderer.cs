using Matryoshka.ImageSharp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.Data.Emoji.Svg;

/// <summary>
/// Turns one icon into a training image: the SVG is checked (<see cref="SvgSafety"/>), rendered by the chosen
/// <see cref="ISvgRasterizer"/>, and its transparency composited onto white with the same exact blend as the 64²
/// set (<see cref="AlphaCompositing.OntoWhite"/>).
/// </summary>
internal sealed class SvgEmojiRenderer(ISvgRasterizer rasterizer, long maxCharacters)
{
    /// <summary>The renderer's name.</summary>
    public string Name => rasterizer.Name;

    /// <summary>The RGB image, <paramref name="side"/> pixels square.</summary>
    /// <exception cref="SvgIconException">The SVG was refused or the renderer failed on it.</exception>
    public Image<Rgb24> Render(SvgIconDocument document, int side)
    {
        SvgSafety.Check(document, maxCharacters);
        using var rgba = rasterizer.Rasterize(document, side);
        return AlphaCompositing.OntoWhite(rgba);
    }
}
