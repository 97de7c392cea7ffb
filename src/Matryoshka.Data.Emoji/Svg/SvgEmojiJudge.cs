using Matryoshka.ImageSharp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.Data.Emoji.Svg;

/// <summary>
/// Decides one emoji: finds its icon by code points, renders it, and measures how far the pooled render is from the
/// reference image. Every per-emoji failure becomes an outcome that names the emoji and the problem; none escapes.
/// </summary>
internal sealed class SvgEmojiJudge(IconifyIconSet icons, SvgEmojiRenderer renderer, SvgEmojiRenderer? comparison, int resolution, double maxDifference)
{
    /// <summary>Reference PNGs are the 64² set's: small, so tight limits.</summary>
    private readonly SafeImageDecoder _referenceDecoder = new(new SafeImageDecoderOptions
    {
        MaxFileBytes = 16L << 20,
        MaxPixels = 2048L * 2048,
        AllocationLimitMegabytes = 64,
    });

    /// <summary>The outcome, and the rendered image when the icon was rendered (the caller disposes it).</summary>
    public (SvgEmojiOutcome Outcome, Image<Rgb24>? Image) Judge(ReferenceEmoji emoji)
    {
        SvgEmojiOutcome Outcome(string? icon, SvgEmojiDecision decision, string detail, double? difference = null, double? rendererDifference = null) =>
            new(emoji.Stem, icon, difference, rendererDifference, decision, detail);

        if (EmojiCodePoints.Key(emoji.Stem) is not { } key || !icons.NamesByCodePoints.TryGetValue(key, out var name))
            return (Outcome(null, SvgEmojiDecision.NotInIconSet, $"chars.json has no icon for {emoji.Stem}"), null);
        if (!File.Exists(emoji.CaptionPath))
            return (Outcome(name, SvgEmojiDecision.ReferenceUnreadable, $"{emoji.CaptionPath} is missing"), null);

        SvgIconDocument document;
        try
        {
            document = SvgIconDocument.From(icons.Resolve(name), $"{emoji.Stem} ({name})");
        }
        catch (IconLookupException e)
        {
            return (Outcome(name, SvgEmojiDecision.IconUnusable, e.Message), null);
        }

        Image<Rgb24>? image = null;
        try
        {
            image = renderer.Render(document, resolution);
            double? rendererDifference = null;
            if (comparison is not null)
            {
                using var other = comparison.Render(document, resolution);
                rendererDifference = PooledDifference.Compute(other, image);
            }
            using var reference = _referenceDecoder.Load<Rgb24>(emoji.ImagePath);
            if (!PoolsTo(reference))
                return (Outcome(name, SvgEmojiDecision.ReferenceUnreadable,
                    $"the {reference.Width}×{reference.Height} reference does not divide {resolution}×{resolution}", null, rendererDifference), Discard(ref image));
            double difference = PooledDifference.Compute(image, reference);
            return difference <= maxDifference
                ? (Outcome(name, SvgEmojiDecision.Kept, "", difference, rendererDifference), image)
                : (Outcome(name, SvgEmojiDecision.ArtChanged, $"pooled difference {difference:F2} > {maxDifference}", difference, rendererDifference), Discard(ref image));
        }
        catch (SvgIconException e)
        {
            return (Outcome(name, SvgEmojiDecision.SvgRefused, e.Message), Discard(ref image));
        }
        catch (ImageDecodeException e)
        {
            return (Outcome(name, SvgEmojiDecision.ReferenceUnreadable, e.Message), Discard(ref image));
        }
    }

    private bool PoolsTo(Image<Rgb24> reference) =>
        reference.Width == reference.Height && reference.Width <= resolution && resolution % reference.Width == 0;

    private static Image<Rgb24>? Discard(ref Image<Rgb24>? image)
    {
        image?.Dispose();
        image = null;
        return null;
    }
}
