using Matryoshka.Models.Emoji64;
using Matryoshka.Pipelines.Pretrained;
using Xunit;

namespace Matryoshka.Tests.Pipelines;

/// <summary>The emoji model's constants are the settings of its manifest, the source of truth.</summary>
public class Emoji64ModelTests
{
    [Fact]
    public void The_constants_and_files_equal_the_shipped_manifest()
    {
        var manifest = ModelManifest.Load(Emoji64Model.Folder);
        Assert.Equal(
            (manifest.Name, manifest.Sampler, manifest.Steps, manifest.Guidance, manifest.TextEncoder!.MaxTokens, manifest.Pixels),
            (Emoji64Model.Name, (string?)Emoji64Model.Sampler, (int?)Emoji64Model.Steps, (double?)Emoji64Model.Guidance, Emoji64Model.MaxTokens, Emoji64Model.Pixels));
        Assert.Equal((manifest.ConfigPath, manifest.WeightsPath), (Path.GetFullPath(Emoji64Model.ConfigPath), Path.GetFullPath(Emoji64Model.WeightsPath)));
    }
}
