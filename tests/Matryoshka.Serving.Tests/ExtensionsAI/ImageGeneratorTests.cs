using System.Drawing;
using System.Text.Json;
using Matryoshka.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Matryoshka.Serving.Tests.ExtensionsAI;

public class ImageGeneratorTests(EmojiPipelineFixture emoji) : IClassFixture<EmojiPipelineFixture>
{
    private MatryoshkaImageGenerator Generator() => new(emoji.Pipeline);

    private static ImageGenerationOptions Options(object? seed = null, int steps = 2, int? count = null, double? guidance = null) => new()
    {
        Count = count,
        AdditionalProperties = new()
        {
            [MatryoshkaImageProperties.Seed] = seed ?? 7,
            [MatryoshkaImageProperties.Steps] = steps,
            [MatryoshkaImageProperties.GuidanceScale] = guidance,
        },
    };

    private static byte[] Bytes(ImageGenerationResponse response, int index = 0) =>
        Assert.IsType<DataContent>(response.Contents[index]).Data.ToArray();

    [Fact]
    public async Task Each_image_is_a_64_pixel_png_data_content_carrying_its_seed()
    {
        using var generator = Generator();
        var response = await generator.GenerateImagesAsync("a red apple", Options(seed: 7, count: 2));

        Assert.Equal(2, response.Contents.Count);
        for (int i = 0; i < 2; i++)
        {
            var image = Assert.IsType<DataContent>(response.Contents[i]);
            Assert.Equal("image/png", image.MediaType);
            Assert.Equal((64, 64), Png.Size(image.Data.Span));
            Assert.Equal(7UL, image.AdditionalProperties!["seed"]);
            Assert.Equal(i, image.AdditionalProperties["index"]);
            Assert.Equal(2, image.AdditionalProperties["steps"]);
        }
        Assert.NotEqual(Bytes(response, 0), Bytes(response, 1));
    }

    [Fact]
    public async Task Seed_steps_and_guidance_reach_the_pipeline_however_they_are_typed()
    {
        using var generator = Generator();
        var plain = Bytes(await generator.GenerateImagesAsync("a red apple", Options(seed: 7)));
        // The same seed as a ulong, a numeric string and a JSON number (options that went through JSON): the same image.
        Assert.Equal(plain, Bytes(await generator.GenerateImagesAsync("a red apple", Options(seed: 7UL))));
        Assert.Equal(plain, Bytes(await generator.GenerateImagesAsync("a red apple", Options(seed: "7"))));
        Assert.Equal(plain, Bytes(await generator.GenerateImagesAsync("a red apple", Options(seed: JsonSerializer.SerializeToElement(7)))));
        // Each mapped option changes the image.
        Assert.NotEqual(plain, Bytes(await generator.GenerateImagesAsync("a red apple", Options(seed: 8))));
        Assert.NotEqual(plain, Bytes(await generator.GenerateImagesAsync("a red apple", Options(seed: 7, steps: 3))));
        Assert.NotEqual(plain, Bytes(await generator.GenerateImagesAsync("a red apple", Options(seed: 7, guidance: 0))));
        var negative = Options(seed: 7);
        negative.AdditionalProperties![MatryoshkaImageProperties.NegativePrompt] = "green";
        Assert.NotEqual(plain, Bytes(await generator.GenerateImagesAsync("a red apple", negative)));
    }

    [Theory]
    [InlineData("seed", -1)]
    [InlineData("seed", 1.5)]
    [InlineData("steps", "many")]
    [InlineData("guidance_scale", true)]
    public async Task An_option_of_the_wrong_kind_is_refused_naming_it(string key, object value)
    {
        using var generator = Generator();
        var options = Options();
        options.AdditionalProperties![key] = value;
        var e = await Assert.ThrowsAsync<UnsupportedImageRequestException>(() => generator.GenerateImagesAsync("a red apple", options));
        Assert.Equal($"AdditionalProperties[\"{key}\"]", e.Option);
    }

    [Fact]
    public async Task A_size_the_model_cannot_draw_is_refused_and_its_own_size_is_accepted()
    {
        using var generator = Generator();
        var options = Options();
        options.ImageSize = new Size(1024, 1024);
        var e = await Assert.ThrowsAsync<UnsupportedImageRequestException>(() => generator.GenerateImagesAsync("a red apple", options));
        Assert.Equal("ImageSize", e.Option);
        Assert.Contains("64×64", e.Message);
        Assert.Contains("1024×1024", e.Message);

        options.ImageSize = new Size(64, 64);
        Assert.Equal((64, 64), Png.Size(Bytes(await generator.GenerateImagesAsync("a red apple", options))));
    }

    [Fact]
    public async Task Editing_other_media_types_uri_results_and_counts_out_of_range_are_refused()
    {
        using var generator = Generator();
        async Task<string> Refused(ImageGenerationRequest request, ImageGenerationOptions options) =>
            (await Assert.ThrowsAsync<UnsupportedImageRequestException>(() => generator.GenerateAsync(request, options))).Option;

        var edit = new ImageGenerationRequest("make it green", [new DataContent(new byte[] { 1 }, "image/png")]);
        Assert.Equal("OriginalImages", await Refused(edit, Options()));
        var jpeg = Options();
        jpeg.MediaType = "image/jpeg";
        Assert.Equal("MediaType", await Refused(new("a red apple"), jpeg));
        var uri = Options();
        uri.ResponseFormat = ImageGenerationResponseFormat.Uri;
        Assert.Equal("ResponseFormat", await Refused(new("a red apple"), uri));
        Assert.Equal("Count", await Refused(new("a red apple"), Options(count: 0)));
        Assert.Equal("Count", await Refused(new("a red apple"), Options(count: 9)));
        Assert.Equal("Prompt", await Refused(new(" "), Options()));
        Assert.Throws<MatryoshkaException>(() => new MatryoshkaImageGenerator(emoji.Pipeline, new MatryoshkaImageGeneratorOptions { MaxCount = 0 }));
    }

    [Fact]
    public async Task Cancelling_stops_the_sampler_and_the_generator_stays_usable()
    {
        using var generator = Generator();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // 1000 steps would take minutes; cancellation must end it within a step or two.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateImagesAsync("a red apple", Options(steps: 1000), cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Single((await generator.GenerateImagesAsync("a red apple", Options())).Contents);
    }

    [Fact]
    public void Metadata_and_services_describe_the_model()
    {
        using var generator = Generator();
        var metadata = generator.GetService<ImageGeneratorMetadata>();
        Assert.Equal("matryoshka", metadata!.ProviderName);
        Assert.Equal("emoji-64", metadata.DefaultModelId);
        Assert.Same(emoji.Pipeline, generator.GetService<Matryoshka.Pipelines.MatryoshkaPipeline>());
        Assert.Same(generator, generator.GetService<IImageGenerator>());
        Assert.Null(generator.GetService<IImageGenerator>("some key"));
    }
}
