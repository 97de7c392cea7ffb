namespace Matryoshka.Text.MiniLM;

/// <summary>
/// Where the build puts all-MiniLM-L6-v2: every project that references this package (or project) gets
/// <c>models/all-MiniLM-L6-v2/model.onnx</c> and <c>vocab.txt</c> in its output folder.
/// </summary>
public static class MiniLMModelFiles
{
    /// <summary>The folder, relative to the application's base directory.</summary>
    public const string RelativeDirectory = "models/all-MiniLM-L6-v2";

    /// <summary>The folder next to the running application.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "models", "all-MiniLM-L6-v2");

    /// <summary>The ONNX model next to the running application.</summary>
    public static string DefaultModelPath => Path.Combine(DefaultDirectory, "model.onnx");

    /// <summary>The WordPiece vocabulary next to the running application.</summary>
    public static string DefaultVocabularyPath => Path.Combine(DefaultDirectory, "vocab.txt");
}
