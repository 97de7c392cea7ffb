using Matryoshka.Models.Emoji64;
using Matryoshka.Pipelines.Pretrained;

namespace Matryoshka.Cli;

/// <summary>
/// The model folders the tool ships (each with its <c>matryoshka.json</c>, copied next to the tool by the model
/// packages it references) and how <c>--model</c> names one: a shipped name or a path to any model folder.
/// </summary>
internal static class ModelFolders
{
    /// <summary>The model used when none is named.</summary>
    public const string DefaultName = Emoji64Model.Name;

    /// <summary>Where shipped model folders lie.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>Names of the shipped model folders that have a manifest.</summary>
    public static IReadOnlyList<string> ShippedNames =>
        Directory.Exists(Root)
            ? Directory.GetDirectories(Root).Where(d => File.Exists(Path.Combine(d, ModelManifest.FileName))).Select(d => Path.GetFileName(d)!).Order().ToArray()
            : Array.Empty<string>();

    /// <summary>The folder <paramref name="nameOrPath"/> names (null: the default model).</summary>
    /// <exception cref="ArgumentException">Neither a shipped name nor a folder with a manifest.</exception>
    public static string Resolve(string? nameOrPath)
    {
        string name = nameOrPath ?? DefaultName;
        string shipped = Path.Combine(Root, name);
        if (!name.Contains('/') && !name.Contains('\\') && File.Exists(Path.Combine(shipped, ModelManifest.FileName))) return shipped;
        if (File.Exists(Path.Combine(name, ModelManifest.FileName))) return Path.GetFullPath(name);
        throw new ArgumentException(
            $"--model '{name}' is neither a model shipped with this tool ({string.Join(", ", ShippedNames)}) nor a folder with a {ModelManifest.FileName} manifest");
    }
}
