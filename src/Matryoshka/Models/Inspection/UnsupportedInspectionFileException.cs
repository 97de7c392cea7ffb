namespace Matryoshka.Models.Inspection;

/// <summary>The file's extension names nothing <see cref="ModelInspector"/> reads.</summary>
public sealed class UnsupportedInspectionFileException : MatryoshkaException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public UnsupportedInspectionFileException(string path)
        : base($"unsupported file type '{System.IO.Path.GetExtension(path).ToLowerInvariant()}' (supported: .safetensors, .yaml, .yml, .json)") => Path = path;

    /// <summary>The file.</summary>
    public string Path { get; }
}
