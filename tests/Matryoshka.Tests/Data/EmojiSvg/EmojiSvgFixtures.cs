using System.Xml.Linq;
using Matryoshka.Data.Emoji.Svg;
using Matryoshka.ImageSharp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Matryoshka.Tests.Data.EmojiSvg;

/// <summary>The five Noto SVGs committed under fixtures/emoji-svg (see its NOTICE) and the checked-in 64² mini set.</summary>
internal static class EmojiSvgFixtures
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "emoji-svg");
    public static readonly string MiniSet = Path.Combine(AppContext.BaseDirectory, "samples", "emoji-mini");

    public const string Apple = "1f34e-red-apple";
    public const string Heart = "2764-red-heart";
    public const string Fire = "1f525-fire";
    public const string Rocket = "1f680-rocket";
    public const string Nose = "1f443-nose";

    public static readonly string[] All = [Apple, Heart, Fire, Rocket, Nose];

    public static SvgIconDocument Document(string name) =>
        new(name, File.ReadAllText(Path.Combine(Folder, name + ".svg")), 128, 128);

    /// <summary>The icon's body as icons.json holds it: the markup inside the committed file's &lt;svg&gt;.</summary>
    public static string Body(string name) =>
        string.Concat(XDocument.Parse(Document(name).Text).Root!.Nodes().Select(node => node.ToString(SaveOptions.DisableFormatting)));

    public static Image<Rgb24> RenderWithSkia(string name, int side = 256) =>
        new SvgEmojiRenderer(new SkiaSvgRasterizer(1 << 20), 1 << 20).Render(Document(name), side);

    public static Image<Rgb24> MiniImage(string stem) => new SafeImageDecoder().Load(Path.Combine(MiniSet, stem + ".png"));
}
