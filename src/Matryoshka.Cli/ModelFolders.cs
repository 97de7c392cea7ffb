using Matryoshka.Models.Emoji64;
using Matryoshka.Pipelines.Pretrained;

namespace Matryoshka.Cli;

/// <summary>
/// The model folders the tool ships (copied next to it by the model packages it references) and how <c>--model</c>
/// names one: a shipped name or a path to any model folder (<see cref="ModelFolderResolver"/>).
/// </summary>
internal static class ModelFolders
{
    /// <summary>The model used when none is named.</summary>
    public const string DefaultName = Emoji64Model.Name;

    private static ModelFolderResolver Resolver => new(Path.Combine(AppContext.BaseDirectory, "models"), DefaultName);

    /// <summary>Names of the shipped model folders that have a manifest.</summary>
    public static IReadOnlyList<string> ShippedNames => Resolver.ShippedNames;

    /// <summary>The folder <paramref name="nameOrPath"/> names (null: the default model).</summary>
    /// <exception cref="ArgumentException">Neither a shipped name nor a folder with a manifest.</exception>
    public static string Resolve(string? nameOrPath)
    {
        try
        {
            return Resolver.Resolve(nameOrPath);
        }
        catch (ModelFolderNotFoundException e)
        {
            throw new ArgumentException(
                $"--model '{e.Name}' is neither a model shipped with this tool ({string.Join(", ", e.ShippedNames)}) nor a folder with a {ModelManifest.FileName} manifest", e);
        }
    }
}
