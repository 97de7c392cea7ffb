using System.Diagnostics;
using Matryoshka.ImageSharp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.Data.Emoji.Svg;

/// <summary>
/// Renders SVG with librsvg's <c>rsvg-convert</c> (Debian <c>librsvg2-bin</c>) in a child process: the reference
/// renderer this project compares Svg.Skia against, and the fallback should Svg.Skia be wrong for some icons. The
/// SVG goes in on standard input (no file, so no relative references), the PNG comes back on standard output.
/// </summary>
public sealed class RsvgConvertRasterizer(string executable = "rsvg-convert") : ISvgRasterizer
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly SafeImageDecoder _decoder = new(new SafeImageDecoderOptions { MaxPixels = 4096L * 4096, MaxFileBytes = 64L << 20 });

    /// <inheritdoc/>
    public string Name => "rsvg-convert";

    /// <inheritdoc/>
    public Image<Rgba32> Rasterize(SvgIconDocument document, int side)
    {
        ArgumentNullException.ThrowIfNull(document);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--width", $"{side}", "--height", $"{side}", "--keep-aspect-ratio", "--format", "png" })
            start.ArgumentList.Add(argument);
        using var png = new MemoryStream();
        try
        {
            using var process = Process.Start(start) ?? throw new SvgIconException(document.Source, $"{executable} did not start");
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.BaseStream.CopyToAsync(png);
            process.StandardInput.Write(document.Text);
            process.StandardInput.Close();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill();
                throw new SvgIconException(document.Source, $"{executable} took longer than {Timeout.TotalSeconds} s");
            }
            output.Wait();
            if (process.ExitCode != 0)
                throw new SvgIconException(document.Source, $"{executable} exited with {process.ExitCode}: {error.Result.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SvgIconException(document.Source, $"{executable} could not be run ({e.Message}); install Debian's librsvg2-bin", e);
        }
        catch (Exception e) when (e is IOException or AggregateException)
        {
            // A child that exits early breaks the pipe; that is this icon's failure, not a failed write of the output.
            throw new SvgIconException(document.Source, $"{executable} failed ({e.Message})", e);
        }
        png.Position = 0;
        try
        {
            var image = _decoder.Load<Rgba32>(png, $"{executable} output for {document.Source}");
            if (image.Width == side && image.Height == side)
                return image;
            var size = $"{image.Width}×{image.Height}";
            image.Dispose();
            throw new SvgIconException(document.Source, $"{executable} wrote a {size} image, not {side}×{side}");
        }
        catch (ImageDecodeException e)
        {
            throw new SvgIconException(document.Source, $"{executable} wrote no readable PNG ({e.Message})", e);
        }
    }
}
