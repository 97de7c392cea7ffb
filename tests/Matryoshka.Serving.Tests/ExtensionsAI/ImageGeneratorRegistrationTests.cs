using Matryoshka.Extensions.AI;
using Matryoshka.Models.Emoji64;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Matryoshka.Serving.Tests.ExtensionsAI;

public class ImageGeneratorRegistrationTests
{
    [Fact]
    public async Task Registration_composes_with_the_builder_middleware_and_generates()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMatryoshkaImageGenerator("emoji", o => o.ModelFolder = Emoji64Model.Folder)
            .UseLogging()
            .ConfigureOptions(o => (o.AdditionalProperties ??= new())[MatryoshkaImageProperties.Steps] = 2);
        await using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredService<IImageGenerator>();
        // The first middleware added is the outermost.
        Assert.IsType<LoggingImageGenerator>(generator);
        Assert.NotNull(generator.GetService<ConfigureOptionsImageGenerator>());
        var inner = generator.GetService<MatryoshkaImageGenerator>();
        Assert.NotNull(inner);
        var response = await generator.GenerateImagesAsync("a red apple", new ImageGenerationOptions { AdditionalProperties = new() { ["seed"] = 3 } });
        var image = Assert.IsType<DataContent>(Assert.Single(response.Contents));
        Assert.Equal(2, image.AdditionalProperties!["steps"]);
        Assert.Equal(3UL, image.AdditionalProperties["seed"]);
    }

    [Fact]
    public void Bad_limits_fail_at_registration()
    {
        var services = new ServiceCollection();
        Assert.Throws<MatryoshkaException>(() => services.AddMatryoshkaImageGenerator("emoji", new MatryoshkaImageGeneratorOptions { MaxCount = 2000 }));
    }
}
