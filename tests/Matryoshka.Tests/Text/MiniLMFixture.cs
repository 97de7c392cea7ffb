using Matryoshka.Text.MiniLM;

namespace Matryoshka.Tests.Text;

/// <summary>One encoder with default options for the MiniLM tests (loading the model takes a second or two).</summary>
public sealed class MiniLMFixture : IDisposable
{
    public MiniLMTextEncoder Encoder { get; } = new();

    public void Dispose() => Encoder.Dispose();

    private static readonly Lazy<string[]> VocabularyLines = new(() =>
        File.ReadAllLines(MiniLMModelFiles.DefaultVocabularyPath).Select(line => line.TrimEnd('\r')).ToArray());

    /// <summary>The id of a token, looked up in vocab.txt directly (its line number from 0), not through the tokenizer.</summary>
    public static int VocabularyId(string token)
    {
        int id = Array.IndexOf(VocabularyLines.Value, token);
        if (id < 0) throw new ArgumentException($"'{token}' is not in vocab.txt");
        return id;
    }

    public static bool InVocabulary(string token) => Array.IndexOf(VocabularyLines.Value, token) >= 0;
}
