namespace Matryoshka.Pipelines.Pretrained;

/// <summary>
/// Finds a model folder (one with a <c>matryoshka.json</c> manifest) by name among those an application ships under
/// one root folder, or by path. Model packages such as Matryoshka.Models.Emoji64 copy their folder to
/// <c>models/NAME</c> next to the application, so <c>new ModelFolderResolver(Path.Combine(AppContext.BaseDirectory, "models"))</c>
/// finds every model the application references.
/// </summary>
public sealed class ModelFolderResolver
{
    /// <summary>A resolver over the model folders under <paramref name="root"/> (which need not exist).</summary>
    /// <param name="root">The folder that holds the shipped model folders.</param>
    /// <param name="defaultName">The model <see cref="Resolve"/> gives when none is named; null: a name is required.</param>
    public ModelFolderResolver(string root, string? defaultName = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        Root = root;
        DefaultName = defaultName;
    }

    /// <summary>The folder that holds the shipped model folders.</summary>
    public string Root { get; }

    /// <summary>The model <see cref="Resolve"/> gives when none is named.</summary>
    public string? DefaultName { get; }

    /// <summary>Names of the folders under <see cref="Root"/> that have a manifest, in ordinal order.</summary>
    public IReadOnlyList<string> ShippedNames =>
        Directory.Exists(Root)
            ? Directory.GetDirectories(Root).Where(HasManifest).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray()
            : Array.Empty<string>();

    /// <summary>
    /// The model folder <paramref name="nameOrPath"/> names: a shipped model's name (no path separators), else a path
    /// to any folder with a manifest (made absolute); null names <see cref="DefaultName"/>.
    /// </summary>
    /// <exception cref="ModelFolderNotFoundException">Neither a shipped name nor a folder with a manifest.</exception>
    public string Resolve(string? nameOrPath)
    {
        string name = nameOrPath ?? DefaultName ?? throw new ModelFolderNotFoundException("", ShippedNames);
        string shipped = Path.Combine(Root, name);
        if (!name.Contains('/') && !name.Contains('\\') && HasManifest(shipped)) return shipped;
        if (HasManifest(name)) return Path.GetFullPath(name);
        throw new ModelFolderNotFoundException(name, ShippedNames);
    }

    private static bool HasManifest(string folder) => File.Exists(Path.Combine(folder, ModelManifest.FileName));
}
