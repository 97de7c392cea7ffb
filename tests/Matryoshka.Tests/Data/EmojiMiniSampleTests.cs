using SixLabors.ImageSharp;
using Xunit;

namespace Matryoshka.Tests.Data;

/// <summary>The checked-in subset samples/data/emoji-mini (copied next to the test assembly by the test project).</summary>
public class EmojiMiniSampleTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "samples", "emoji-mini");

    [Fact]
    public void Holds_sixteen_png_and_caption_pairs_at_64_by_64_rgb()
    {
        var images = Directory.GetFiles(Folder, "*.png").Order(StringComparer.Ordinal).ToList();
        var captions = Directory.GetFiles(Folder, "*.txt").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(16, images.Count);
        Assert.Equal(images.Select(Path.GetFileNameWithoutExtension), captions.Select(Path.GetFileNameWithoutExtension));
        foreach (var path in images)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(2, bytes[25]); // IHDR colour type 2 = RGB
            Assert.Equal(8, bytes[24]); // 8 bits per channel
            var info = Image.Identify(bytes);
            Assert.Equal((64, 64), (info.Width, info.Height));
        }
        foreach (var path in captions)
        {
            var lines = File.ReadAllText(path).Split('\n');
            Assert.Equal("", lines[^1]);
            Assert.True(lines.Length >= 4, $"{path} has too few captions");
            Assert.All(lines[..^1], line => Assert.Equal(line.Trim().ToLowerInvariant(), line));
        }
    }

    [Fact]
    public void Credits_the_image_and_data_licences_and_stays_small()
    {
        var notice = File.ReadAllText(Path.Combine(Folder, "NOTICE"));

        Assert.Contains("Noto Emoji", notice);
        Assert.Contains("Apache License, Version 2.0", notice);
        Assert.Contains("MIT License", notice);
        Assert.Equal("a red apple\nred apple\napple\na red apple emoji\nred apple, food fruit\n", File.ReadAllText(Path.Combine(Folder, "1f34e.txt")));
        Assert.True(Directory.GetFiles(Folder).Sum(f => new FileInfo(f).Length) <= 200 * 1024);
    }
}
