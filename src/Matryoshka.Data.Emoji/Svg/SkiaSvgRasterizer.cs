using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;
using Svg.Skia;

namespace Matryoshka.Data.Emoji.Svg;

/// <summary>
/// Renders SVG in process with Svg.Skia (SkiaSharp; the NoDependencies native build, so nothing beyond the .NET SDK
/// is needed). The document is parsed through an <see cref="System.Xml.XmlReader"/> that refuses DTDs and external
/// resolution, drawn anti-aliased onto a transparent premultiplied surface, and read back unpremultiplied.
/// </summary>
/// <param name="maxCharacters">Largest SVG document it parses, in characters.</param>
public sealed class SkiaSvgRasterizer(long maxCharacters) : ISvgRasterizer
{
    /// <summary>A rasterizer for documents up to the size <see cref="IconifyLimits"/> allows by default.</summary>
    public SkiaSvgRasterizer() : this(new IconifyLimits().MaxDocumentChars) { }

    /// <inheritdoc/>
    public string Name => "skia";

    /// <inheritdoc/>
    public Image<Rgba32> Rasterize(SvgIconDocument document, int side)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(side);
        var pixels = new byte[side * side * 4];
        try
        {
            using var reader = System.Xml.XmlReader.Create(new StringReader(document.Text), SvgSafety.ReaderSettings(maxCharacters));
            using var svg = new SKSvg();
            var picture = svg.Load(reader) ?? throw new SvgIconException(document.Source, "Svg.Skia produced no picture");
            var info = new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Premul);
            using var surface = SKSurface.Create(info) ?? throw new SvgIconException(document.Source, "SkiaSharp could not create a surface");
            var canvas = surface.Canvas;
            canvas.Clear(SKColors.Transparent);
            float scale = (float)(side / Math.Max(document.Width, document.Height));
            canvas.Translate((float)((side - document.Width * scale) / 2), (float)((side - document.Height * scale) / 2));
            canvas.Scale(scale);
            canvas.DrawPicture(picture);
            canvas.Flush();
            var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
            try
            {
                var straight = info.WithAlphaType(SKAlphaType.Unpremul);
                if (!surface.ReadPixels(straight, handle.AddrOfPinnedObject(), straight.RowBytes, 0, 0))
                    throw new SvgIconException(document.Source, "SkiaSharp could not read the rendered pixels back");
            }
            finally
            {
                handle.Free();
            }
        }
        catch (Exception e) when (e is not SvgIconException and not OutOfMemoryException)
        {
            // Svg.Skia throws whatever its parser and model hit (XmlException, NullReferenceException, FormatException,
            // ...): one icon's failure must skip that icon, not stop the preparation.
            throw new SvgIconException(document.Source, $"Svg.Skia failed ({e.GetType().Name}: {e.Message})", e);
        }
        return Image.LoadPixelData<Rgba32>(pixels, side, side);
    }
}
