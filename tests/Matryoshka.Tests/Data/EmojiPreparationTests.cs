using Matryoshka.Data.Emoji;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Matryoshka.Tests.Data;

public class EmojiPreparationTests
{
    [Fact]
    public async Task Writes_an_image_and_captions_per_emoji_with_a_google_image_plus_index_and_notice()
    {
        using var folder = new TempFolder();
        var output = folder.File("emoji");

        var report = await PrepareAsync(EmojiTarball.Standard().WriteTo(folder), output);

        Assert.Equal(
            ["1f34c.png", "1f34c.txt", "1f34e.png", "1f34e.txt", "NOTICE", "index.tsv"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(2, report.Written);
        Assert.Equal(2, report.WrittenByCategory["Food & Drink"]);
        Assert.Equal("emoji-datasource-google 0.0.1-test", report.Package);
    }

    [Fact]
    public async Task Captions_follow_the_documented_rule()
    {
        using var folder = new TempFolder();
        var output = folder.File("emoji");

        await PrepareAsync(EmojiTarball.Standard().WriteTo(folder), output);

        Assert.Equal("a red apple\nred apple\napple\na red apple emoji\nred apple, food fruit\n",
            File.ReadAllText(Path.Combine(output, "1f34e.txt")));
        Assert.Equal(
            "file\tname\tcategory\tsubcategory\tcaptions\n" +
            "1f34c.png\tBANANA\tFood & Drink\tfood-fruit\ta banana | banana | a banana emoji | banana, food fruit\n" +
            "1f34e.png\tRED APPLE\tFood & Drink\tfood-fruit\ta red apple | red apple | apple | a red apple emoji | red apple, food fruit\n",
            File.ReadAllText(Path.Combine(output, "index.tsv")));
    }

    [Fact]
    public async Task Alpha_is_composited_onto_white_with_the_exact_blend()
    {
        using var folder = new TempFolder();
        var output = folder.File("emoji");

        await PrepareAsync(EmojiTarball.Standard().WriteTo(folder), output);

        var png = File.ReadAllBytes(Path.Combine(output, "1f34e.png"));
        Assert.Equal(2, png[25]); // IHDR colour type 2: RGB, no alpha channel
        using var image = Image.Load<Rgb24>(png);
        Assert.Equal((64, 64), (image.Width, image.Height));
        Assert.Equal(new Rgb24(255, 255, 255), image[0, 0]);  // fully transparent → white, not the black stored under it
        Assert.Equal(new Rgb24(255, 127, 127), image[1, 0]);  // round((c·128 + 255·127) / 255)
        Assert.Equal(new Rgb24(30, 160, 40), image[2, 0]);    // opaque pixels unchanged
    }

    [Fact]
    public async Task Missing_and_corrupt_images_are_skipped_and_counted()
    {
        using var folder = new TempFolder();
        var tarball = new EmojiTarball()
            .Text("package/emoji.json", EmojiTarball.Catalog(EmojiTarball.Apple, EmojiTarball.Banana, EmojiTarball.Grapes))
            .Image("1f34e.png", EmojiTarball.ApplePng())
            .Image("1f34c.png", [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4])
            .WriteTo(folder);

        var report = await PrepareAsync(tarball, folder.File("emoji"));

        Assert.Equal(1, report.Written);
        Assert.Equal(
            [("1f347", EmojiSkipReason.MissingImage), ("1f34c", EmojiSkipReason.CorruptImage)],
            report.Skipped.Select(s => (s.Entry, s.Reason)).Order());
        Assert.Contains("package/img/google/64/1f347.png is not in the package", report.Skipped.Single(s => s.Entry == "1f347").Detail);
        Assert.False(File.Exists(folder.File("emoji/1f34c.txt")));
    }

    [Theory]
    [InlineData("../evil.png")]
    [InlineData("package/img/google/64/../../../../evil.png")]
    [InlineData("/etc/evil.png")]
    [InlineData("package\\..\\evil.png")]
    public async Task An_entry_name_that_could_escape_the_archive_refuses_the_package(string name)
    {
        using var folder = new TempFolder();
        var tarball = EmojiTarball.Standard().File(name, [1, 2, 3]).WriteTo(folder);
        var output = folder.File("emoji");

        var error = await Assert.ThrowsAsync<EmojiPackageException>(() => PrepareAsync(tarball, output));

        Assert.Contains("could escape the archive", error.Problem);
        Assert.Equal(tarball, error.FilePath);
        Assert.False(Directory.Exists(output));
        Assert.False(File.Exists(Path.Combine(folder.Path, "..", "evil.png")));
    }

    [Fact]
    public async Task Symbolic_links_are_never_followed_so_their_image_counts_as_missing()
    {
        using var folder = new TempFolder();
        var tarball = new EmojiTarball()
            .Text("package/emoji.json", EmojiTarball.Catalog(EmojiTarball.Apple))
            .File(EmojiTarball.ImageFolder + "1f34e.png", [], System.Formats.Tar.TarEntryType.SymbolicLink)
            .WriteTo(folder);

        var report = await PrepareAsync(tarball, folder.File("emoji"));

        Assert.Equal(EmojiSkipReason.MissingImage, Assert.Single(report.Skipped).Reason);
    }

    [Fact]
    public async Task Two_runs_give_identical_bytes()
    {
        using var folder = new TempFolder();
        var tarball = EmojiTarball.Standard().WriteTo(folder);

        await PrepareAsync(tarball, folder.File("first"));
        await PrepareAsync(tarball, folder.File("second"));

        var first = Directory.GetFiles(folder.File("first")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(first, Directory.GetFiles(folder.File("second")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in first)
            Assert.Equal(File.ReadAllBytes(folder.File("first/" + name!)), File.ReadAllBytes(folder.File("second/" + name!)));
    }

    [Fact]
    public async Task Rerunning_into_an_earlier_output_replaces_it_but_a_foreign_folder_is_refused()
    {
        using var folder = new TempFolder();
        var tarball = EmojiTarball.Standard().WriteTo(folder);
        var output = folder.File("emoji");
        await PrepareAsync(tarball, output);

        var report = await PrepareAsync(tarball, output, limit: 1);

        Assert.Equal(1, report.Written);
        Assert.Equal(["1f34c.png", "1f34c.txt", "NOTICE", "index.tsv"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var foreign = folder.File("photos");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "holiday.jpg"), "keep me");
        var error = await Assert.ThrowsAsync<EmojiPreparationException>(() => PrepareAsync(tarball, foreign));
        Assert.Contains("not empty", error.Message);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(foreign, "holiday.jpg")));
    }

    [Fact]
    public async Task Skin_tone_variants_are_left_out_by_default_and_written_on_request()
    {
        using var folder = new TempFolder();
        const string santa = """
            { "name": "FATHER CHRISTMAS", "unified": "1F385", "image": "1f385.png", "short_names": ["santa"],
              "category": "People & Body", "subcategory": "person-fantasy", "has_img_google": true,
              "skin_variations": { "1F3FE": { "unified": "1F385-1F3FE", "image": "1f385-1f3fe.png", "has_img_google": true } } }
            """;
        var tarball = new EmojiTarball()
            .Text("package/emoji.json", EmojiTarball.Catalog(santa))
            .Image("1f385.png", EmojiTarball.OpaquePng(64, new Rgb24(200, 0, 0)))
            .Image("1f385-1f3fe.png", EmojiTarball.OpaquePng(64, new Rgb24(150, 0, 0)))
            .WriteTo(folder);

        var without = await PrepareAsync(tarball, folder.File("plain"));
        var with = await PrepareAsync(tarball, folder.File("tones"), includeSkinTones: true);

        Assert.Equal((1, 1), (without.Written, without.SkinToneVariantsLeftOut));
        Assert.Equal((2, 0), (with.Written, with.SkinToneVariantsLeftOut));
        Assert.Equal(
            "a father christmas, medium-dark skin tone\nfather christmas, medium-dark skin tone\nsanta, medium-dark skin tone\n" +
            "a father christmas emoji, medium-dark skin tone\nfather christmas, person fantasy, medium-dark skin tone\n",
            File.ReadAllText(folder.File("tones/1f385-1f3fe.txt")));
    }

    [Fact]
    public async Task Resolution_limit_and_only_select_what_is_written()
    {
        using var folder = new TempFolder();
        var tarball = EmojiTarball.Standard().WriteTo(folder);

        var small = await PrepareAsync(tarball, folder.File("small"), resolution: 16);
        var only = await PrepareAsync(tarball, folder.File("only"), only: ["apple"]);

        Assert.Equal(2, small.Written);
        using (var image = Image.Load<Rgb24>(folder.File("small/1f34e.png")))
            Assert.Equal((16, 16), (image.Width, image.Height));
        Assert.Equal(["1f34e.png", "1f34e.txt", "NOTICE", "index.tsv"],
            Directory.GetFiles(folder.File("only")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(only.Skipped);
        var error = await Assert.ThrowsAsync<EmojiPreparationException>(() => PrepareAsync(tarball, folder.File("none"), only: ["durian"]));
        Assert.Contains("'durian'", error.Message);
    }

    [Fact]
    public async Task Malformed_catalog_entries_are_skipped_with_their_reason()
    {
        using var folder = new TempFolder();
        const string noName = """{ "unified": "1F600", "image": "1f600.png", "category": "c", "subcategory": "s", "has_img_google": true }""";
        const string badCode = """{ "name": "X", "unified": "../1F600", "image": "1f600.png", "category": "c", "subcategory": "s", "has_img_google": true }""";
        const string badImage = """{ "name": "X", "unified": "1F601", "image": "../1f601.png", "category": "c", "subcategory": "s", "has_img_google": true }""";
        var tarball = new EmojiTarball()
            .Text("package/emoji.json", EmojiTarball.Catalog(EmojiTarball.Apple, noName, badCode, badImage, "42"))
            .Image("1f34e.png", EmojiTarball.ApplePng())
            .WriteTo(folder);

        var report = await PrepareAsync(tarball, folder.File("emoji"));

        Assert.Equal(1, report.Written);
        Assert.Equal(4, report.Skipped.Count);
        Assert.All(report.Skipped, skip => Assert.Equal(EmojiSkipReason.MalformedEntry, skip.Reason));
        Assert.Contains(report.Skipped, s => s.Entry == "1f600" && s.Detail == "has no 'name'");
        Assert.Contains(report.Skipped, s => s.Entry == "entry #2" && s.Detail.Contains("'unified' must be hex code points"));
        Assert.Contains(report.Skipped, s => s.Entry == "1f601" && s.Detail.Contains("'image' must be a plain file name"));
        Assert.Contains(report.Skipped, s => s.Entry == "entry #4" && s.Detail.Contains("not an object"));
    }

    [Theory]
    [InlineData("not a tarball at all", "is not a valid gzip-compressed tar archive")]
    [InlineData("", "is not a valid gzip-compressed tar archive")]
    public async Task Garbage_is_refused_with_a_typed_error(string content, string problem)
    {
        using var folder = new TempFolder();
        var path = folder.Write("broken.tgz", System.Text.Encoding.UTF8.GetBytes(content));

        var error = await Assert.ThrowsAnyAsync<MatryoshkaException>(() => PrepareAsync(path, folder.File("emoji")));

        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public async Task A_package_without_emoji_json_or_with_a_non_array_catalog_is_refused()
    {
        using var folder = new TempFolder();
        var none = new EmojiTarball().Image("1f34e.png", EmojiTarball.ApplePng()).WriteTo(folder, "none.tgz");
        var notArray = new EmojiTarball().Text("package/emoji.json", "{}").WriteTo(folder, "object.tgz");

        Assert.Contains("has no package/emoji.json", (await Assert.ThrowsAsync<EmojiPackageException>(() => PrepareAsync(none, folder.File("a")))).Problem);
        Assert.Contains("must hold a JSON array", (await Assert.ThrowsAsync<EmojiPackageException>(() => PrepareAsync(notArray, folder.File("b")))).Problem);
    }

    [Fact]
    public async Task Size_limits_refuse_a_package_that_unpacks_too_far_and_skip_oversized_images()
    {
        using var folder = new TempFolder();
        var tarball = EmojiTarball.Standard().WriteTo(folder);

        var bomb = await Assert.ThrowsAsync<EmojiPackageException>(() => EmojiDatasetPreparation.PrepareAsync(Options(tarball, folder.File("a")) with
        {
            PackageLimits = new EmojiPackageLimits { MaxUnpackedBytes = 4096 },
        }));
        var report = await EmojiDatasetPreparation.PrepareAsync(Options(tarball, folder.File("b")) with
        {
            PackageLimits = new EmojiPackageLimits { MaxImageBytes = EmojiTarball.ApplePng().Length - 1 },
        });

        Assert.Contains("unpacks to more than 4,096 bytes", bomb.Problem);
        Assert.Contains(report.Skipped, s => s.Entry == "1f34e" && s.Reason == EmojiSkipReason.ImageTooLarge);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2048)]
    public async Task Out_of_range_resolution_is_refused_before_reading(int resolution)
    {
        using var folder = new TempFolder();

        var error = await Assert.ThrowsAsync<EmojiPreparationException>(() => PrepareAsync(folder.File("absent.tgz"), folder.File("emoji"), resolution: resolution));

        Assert.Equal(nameof(EmojiPreparationOptions.Resolution), error.Option);
        Assert.Contains("Resolution must be between 8 and 1024", error.Message);
    }

    internal static EmojiPreparationOptions Options(string package, string output) =>
        new() { PackagePath = package, OutputFolder = output };

    private static Task<EmojiPreparationResult> PrepareAsync(string package, string output, int resolution = 64, int? limit = null,
        bool includeSkinTones = false, IReadOnlyList<string>? only = null) =>
        EmojiDatasetPreparation.PrepareAsync(Options(package, output) with
        {
            Resolution = resolution,
            Limit = limit,
            IncludeSkinTones = includeSkinTones,
            Only = only,
        });
}
