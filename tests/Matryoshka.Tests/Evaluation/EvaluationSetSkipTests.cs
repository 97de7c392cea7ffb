using Matryoshka.Evaluation;
using Matryoshka.Tests.Imaging;
using Xunit;

namespace Matryoshka.Tests.Evaluation;

public class EvaluationSetSkipTests
{
    [Fact]
    public void Unreadable_and_uncaptioned_images_are_left_out_and_named_with_the_reason()
    {
        using var folder = new TempFolder();
        var emoji = Path.Combine(AppContext.BaseDirectory, "samples", "emoji-mini");
        foreach (var file in Directory.GetFiles(emoji).Order(StringComparer.Ordinal).Take(4))
            File.Copy(file, folder.File(Path.GetFileName(file)));
        folder.Write("zero.png", HostilePngs.Declaring(0, 64));
        folder.Write("zero.txt", "a broken image"u8.ToArray());
        folder.Write("nocaption.png", TestImages.Png(64, 64, seed: 1));

        var set = EvaluationSet.Load(folder.Path, 64);

        Assert.Equal(2, set.Skipped);
        Assert.Contains(set.SkippedSamples, s => s.StartsWith(folder.File("zero.png") + ": ", StringComparison.Ordinal) && s.Contains("0×64"));
        Assert.Contains(folder.File("nocaption.png") + ": it has no caption.", set.SkippedSamples);
        Assert.NotEmpty(set.Images);
    }
}
