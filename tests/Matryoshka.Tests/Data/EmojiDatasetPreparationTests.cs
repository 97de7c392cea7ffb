using Matryoshka.Data.Emoji;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Matryoshka.Tests.Data;

/// <summary>The library entry point called from C#, on a tarball made from the checked-in mini set's real Noto PNGs.</summary>
public class EmojiDatasetPreparationTests
{
    private static readonly Rgb24 White = new(255, 255, 255);

    [Fact]
    public async Task The_mini_set_round_trips_pixel_for_pixel_with_progress_for_every_emoji()
    {
        using var folder = new TempFolder();
        var rows = MiniSetTarball.Rows();
        var progress = new EmojiProgressRecorder();

        var result = await EmojiDatasetPreparation.PrepareAsync(
            new EmojiPreparationOptions { PackagePath = MiniSetTarball.Build().WriteTo(folder), OutputFolder = folder.File("emoji") }, progress);

        Assert.Equal(16, result.Written);
        Assert.Equal(rows.Select(r => r.Stem).Order(StringComparer.Ordinal), result.WrittenStems);
        Assert.Empty(result.Skipped);
        Assert.Equal(folder.File("emoji"), result.OutputFolder);
        Assert.Equal("emoji-datasource-google 0.0.1-mini", result.Package);
        Assert.Equal(rows.GroupBy(r => r.Category).ToDictionary(g => g.Key, g => g.Count()), result.WrittenByCategory);
        Assert.Equal(Enumerable.Range(1, 16), progress.Reports.Select(p => p.Considered));
        Assert.All(progress.Reports, p => Assert.Equal(16, p.Total));
        Assert.Equal(result.WrittenStems, progress.Reports.Select(p => p.Stem));
        foreach (var stem in result.WrittenStems)
        {
            // The mini set is already RGB on white: compositing again must change no pixel.
            using var written = Image.Load<Rgb24>(folder.File($"emoji/{stem}.png"));
            using var original = Image.Load<Rgb24>(Path.Combine(MiniSetTarball.Folder, stem + ".png"));
            Assert.Equal((64, 64), (written.Width, written.Height));
            Assert.Equal(Pixels(original), Pixels(written));
            Assert.Equal(File.ReadLines(Path.Combine(MiniSetTarball.Folder, stem + ".txt")).First(),
                File.ReadLines(folder.File($"emoji/{stem}.txt")).First());
        }
    }

    [Fact]
    public async Task Shrunk_images_are_32_square_on_white_and_not_blank()
    {
        using var folder = new TempFolder();

        var result = await EmojiDatasetPreparation.PrepareAsync(new EmojiPreparationOptions
        {
            PackagePath = MiniSetTarball.Build().WriteTo(folder),
            OutputFolder = folder.File("emoji"),
            Resolution = 32,
            Only = ["1f34e", "2764-fe0f", "1f680"],
        });

        Assert.Equal(["1f34e", "1f680", "2764-fe0f"], result.WrittenStems);
        foreach (var stem in result.WrittenStems)
        {
            using var image = Image.Load<Rgb24>(folder.File($"emoji/{stem}.png"));
            Assert.Equal((32, 32), (image.Width, image.Height));
            Assert.Equal(White, image[0, 0]);
            Assert.InRange(Pixels(image).Count(p => p != White), 32 * 32 / 5, 32 * 32 - 1);
        }
    }

    [Fact]
    public async Task Cancelling_stops_between_emoji_and_leaves_an_index_of_what_was_written()
    {
        using var folder = new TempFolder();
        var tarball = MiniSetTarball.Build().WriteTo(folder);
        var output = folder.File("emoji");
        using var cancellation = new CancellationTokenSource();
        var progress = new EmojiProgressRecorder(p => { if (p.Considered == 3) cancellation.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => EmojiDatasetPreparation.PrepareAsync(
            new EmojiPreparationOptions { PackagePath = tarball, OutputFolder = output }, progress, cancellation.Token));

        Assert.Equal(3, progress.Reports.Count);
        var indexed = File.ReadAllLines(Path.Combine(output, "index.tsv")).Skip(1).Select(line => line.Split('\t')[0]).ToList();
        Assert.Equal(progress.Reports.Select(p => p.Stem + ".png"), indexed);
        Assert.Equal(indexed.Order(StringComparer.Ordinal), Directory.GetFiles(output, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var rerun = await EmojiDatasetPreparation.PrepareAsync(new EmojiPreparationOptions { PackagePath = tarball, OutputFolder = output, Limit = 2 });
        Assert.Equal(2, rerun.Written);
        Assert.Equal(2, Directory.GetFiles(output, "*.png").Length);
    }

    [Theory]
    [InlineData("", "emoji", 64, 1, nameof(EmojiPreparationOptions.PackagePath), "PackagePath is empty")]
    [InlineData("p.tgz", " ", 64, 1, nameof(EmojiPreparationOptions.OutputFolder), "OutputFolder is empty")]
    [InlineData("p.tgz", "emoji", 1025, 1, nameof(EmojiPreparationOptions.Resolution), "Resolution must be between 8 and 1024; got 1025")]
    [InlineData("p.tgz", "emoji", 64, -3, nameof(EmojiPreparationOptions.Limit), "Limit must be positive; got -3")]
    public async Task Invalid_options_are_refused_naming_the_option_before_anything_is_read(
        string package, string output, int resolution, int limit, string option, string message)
    {
        var error = await Assert.ThrowsAsync<EmojiPreparationException>(() => EmojiDatasetPreparation.PrepareAsync(new EmojiPreparationOptions
        {
            PackagePath = package, OutputFolder = output, Resolution = resolution, Limit = limit,
        }));

        Assert.Equal(option, error.Option);
        Assert.StartsWith(message, error.Message);
        Assert.IsAssignableFrom<MatryoshkaException>(error);
    }

    [Fact]
    public async Task A_missing_package_is_a_typed_error_naming_the_file()
    {
        using var folder = new TempFolder();
        var missing = folder.File("absent.tgz");

        var error = await Assert.ThrowsAsync<EmojiPackageException>(() => EmojiDatasetPreparation.PrepareAsync(
            new EmojiPreparationOptions { PackagePath = missing, OutputFolder = folder.File("emoji") }));

        Assert.Equal(missing, error.FilePath);
        Assert.Equal($"{missing}: file not found", error.Message);
        Assert.False(Directory.Exists(folder.File("emoji")));
    }

    private static List<Rgb24> Pixels(Image<Rgb24> image)
    {
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return [.. pixels];
    }
}
