using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.Tests.Data;

/// <summary>Builds small synthetic emoji-datasource tarballs in memory, so no test ever downloads the real one.</summary>
public sealed class EmojiTarball
{
    private readonly List<(string Name, byte[] Data, TarEntryType Type)> _entries = [];

    public const string ImageFolder = "package/img/google/64/";

    /// <summary>A fully transparent pixel (its colour channels deliberately black, as in the real package).</summary>
    public static readonly Rgba32 Transparent = new(0, 0, 0, 0);

    /// <summary>Red at alpha 128: on white it must become (255, 127, 127).</summary>
    public static readonly Rgba32 HalfRed = new(255, 0, 0, 128);

    public EmojiTarball File(string name, byte[] data, TarEntryType type = TarEntryType.RegularFile)
    {
        _entries.Add((name, data, type));
        return this;
    }

    public EmojiTarball Text(string name, string text) => File(name, Encoding.UTF8.GetBytes(text));

    public EmojiTarball Image(string fileName, byte[] png) => File(ImageFolder + fileName, png);

    public byte[] Build()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, data, type) in _entries)
            {
                var entry = new PaxTarEntry(type, name);
                if (type == TarEntryType.SymbolicLink) entry.LinkName = "../../etc/passwd";
                else entry.DataStream = new MemoryStream(data);
                tar.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }

    public string WriteTo(TempFolder folder, string name = "package.tgz") => folder.Write(name, Build());

    /// <summary>The standard three-entry package: an apple with transparency, an opaque banana, grapes without image.</summary>
    public static EmojiTarball Standard() => new EmojiTarball()
        .Text("package/package.json", """{ "name": "emoji-datasource-google", "version": "0.0.1-test" }""")
        .Text("package/LICENSE", "The MIT License (MIT)\n\nCopyright (c) test\n")
        .Text("package/emoji.json", Catalog(Apple, Banana, Grapes))
        .Image("1f34e.png", ApplePng())
        .Image("1f34c.png", OpaquePng(64, new Rgb24(250, 220, 60)));

    public const string Apple = """
        { "name": "RED APPLE", "unified": "1F34E", "image": "1f34e.png", "short_names": ["apple"],
          "category": "Food & Drink", "subcategory": "food-fruit", "has_img_google": true }
        """;

    public const string Banana = """
        { "name": "BANANA", "unified": "1F34C", "image": "1f34c.png", "short_names": ["banana"],
          "category": "Food & Drink", "subcategory": "food-fruit", "has_img_google": true }
        """;

    public const string Grapes = """
        { "name": "GRAPES", "unified": "1F347", "image": "1f347.png", "short_names": ["grapes"],
          "category": "Food & Drink", "subcategory": "food-fruit", "has_img_google": true }
        """;

    public static string Catalog(params string[] entries) => "[" + string.Join(",", entries) + "]";

    /// <summary>64 × 64 opaque green, except (0, 0) fully transparent and (1, 0) half-transparent red.</summary>
    public static byte[] ApplePng()
    {
        using var image = new Image<Rgba32>(64, 64, new Rgba32(30, 160, 40, 255));
        image[0, 0] = Transparent;
        image[1, 0] = HalfRed;
        return Encode(image);
    }

    public static byte[] OpaquePng(int size, Rgb24 colour)
    {
        using var image = new Image<Rgba32>(size, size, new Rgba32(colour.R, colour.G, colour.B, 255));
        return Encode(image);
    }

    private static byte[] Encode(Image<Rgba32> image)
    {
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit8 });
        return stream.ToArray();
    }
}
