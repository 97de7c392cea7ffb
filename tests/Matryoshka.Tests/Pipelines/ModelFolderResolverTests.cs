using Matryoshka.Pipelines.Pretrained;
using Xunit;

namespace Matryoshka.Tests.Pipelines;

/// <summary><see cref="ModelFolderResolver"/>: shipped names, paths and the default.</summary>
public class ModelFolderResolverTests
{
    [Fact]
    public void Names_resolve_under_the_root_paths_anywhere_and_null_to_the_default()
    {
        using var root = new TempFolder();
        foreach (var name in new[] { "b-model", "a-model" })
        {
            Directory.CreateDirectory(root.File(name));
            File.WriteAllText(root.File(Path.Combine(name, ModelManifest.FileName)), "{}");
        }
        Directory.CreateDirectory(root.File("no-manifest"));
        using var elsewhere = new ManifestFolder();
        var resolver = new ModelFolderResolver(root.Path, "b-model");

        Assert.Equal(new[] { "a-model", "b-model" }, resolver.ShippedNames);
        Assert.Equal(root.File("a-model"), resolver.Resolve("a-model"));
        Assert.Equal(root.File("b-model"), resolver.Resolve(null));
        Assert.Equal(Path.GetFullPath(elsewhere.Path), resolver.Resolve(elsewhere.Path));
        var missing = Assert.Throws<ModelFolderNotFoundException>(() => resolver.Resolve("no-manifest"));
        Assert.Equal("no-manifest", missing.Name);
        Assert.Equal(new[] { "a-model", "b-model" }, missing.ShippedNames);
        Assert.Empty(new ModelFolderResolver(root.File("absent")).ShippedNames);
        Assert.Throws<ModelFolderNotFoundException>(() => new ModelFolderResolver(root.Path).Resolve(null));
    }
}
