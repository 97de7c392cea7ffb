namespace Matryoshka.ImageSharp;

/// <summary>Names well-known image formats by their leading bytes, so refusals can say what was refused.</summary>
internal static class ImageSignatures
{
    public static string? Describe(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith("GIF8"u8))
            return "GIF";
        if (header.StartsWith("II*\0"u8) || header.StartsWith("MM\0*"u8))
            return "TIFF";
        if (header.Length >= 12 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8))
            return "WebP";
        if (header.StartsWith("BM"u8))
            return "BMP";
        return null;
    }
}
