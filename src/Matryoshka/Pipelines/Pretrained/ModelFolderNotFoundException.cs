namespace Matryoshka.Pipelines.Pretrained;

/// <summary>A model named by <see cref="ModelFolderResolver.Resolve"/> is neither shipped nor a folder with a manifest.</summary>
public sealed class ModelFolderNotFoundException : MatryoshkaException
{
    /// <summary>Creates the exception for <paramref name="name"/>.</summary>
    public ModelFolderNotFoundException(string name, IReadOnlyList<string> shippedNames)
        : base($"'{name}' is neither a shipped model ({string.Join(", ", shippedNames)}) nor a folder with a {ModelManifest.FileName} manifest")
    {
        Name = name;
        ShippedNames = shippedNames;
    }

    /// <summary>The name or path that was asked for.</summary>
    public string Name { get; }

    /// <summary>The names that are shipped.</summary>
    public IReadOnlyList<string> ShippedNames { get; }
}
