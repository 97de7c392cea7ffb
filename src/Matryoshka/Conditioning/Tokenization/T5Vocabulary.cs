using System.Text;

namespace Matryoshka.Conditioning.Tokenization;

/// <summary>
/// ml-mdm's T5 vocabulary (<c>t5.vocab</c>: one <c>piece&lt;TAB&gt;log-prob</c> line per token, the line number
/// being the id), loaded the way ml-mdm's <c>read_dictionary_t5</c> does: every U+2581 (▁) in a piece stands for a
/// space, and a token's cost is its negated log-probability. Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// Loading refuses, with a <see cref="VocabularyFormatException"/> naming the file and line: an empty file, a file
/// over <see cref="MaxFileBytes"/>, a line without exactly one TAB, a log-probability that is not a finite number or
/// is positive (the shortest-path search needs costs ≥ 0), a piece that repeats an earlier one, and a vocabulary
/// without the <c>&lt;pad&gt;</c> or <c>&lt;/s&gt;</c> pieces ml-mdm pads and terminates captions with.
/// </remarks>
public sealed class T5Vocabulary
{
    /// <summary>The largest vocabulary file accepted (64 MiB; ml-mdm's is 0.6 MB).</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    /// <summary>The padding piece.</summary>
    public const string PadPiece = "<pad>";

    /// <summary>The end-of-sequence piece ml-mdm appends to every caption.</summary>
    public const string EosPiece = "</s>";

    private readonly byte[] _pieceBytes;
    private readonly int[] _pieceStart;
    private readonly double[] _costs;

    internal T5Vocabulary(byte[] pieceBytes, int[] pieceStart, double[] costs, ByteTrie trie, string source)
    {
        _pieceBytes = pieceBytes;
        _pieceStart = pieceStart;
        _costs = costs;
        Trie = trie;
        Source = source;
        PadId = RequireId(PadPiece, "the padding token");
        EosId = RequireId(EosPiece, "the end-of-sequence token");
    }

    /// <summary>Loads a <c>t5.vocab</c> file.</summary>
    /// <exception cref="VocabularyFormatException">The file is malformed (the message names the line).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static T5Vocabulary Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Loads a vocabulary from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="VocabularyFormatException">The content is malformed (the message names the line).</exception>
    public static T5Vocabulary Load(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        return T5VocabularyReader.Read(stream, sourceName);
    }

    /// <summary>The file or stream the vocabulary was loaded from.</summary>
    public string Source { get; }

    /// <summary>Number of pieces (32,100 for ml-mdm's <c>t5.vocab</c>); ids run from 0 to <c>Count − 1</c>.</summary>
    public int Count => _costs.Length;

    /// <summary>Id of <c>&lt;pad&gt;</c> (0 in <c>t5.vocab</c>).</summary>
    public int PadId { get; }

    /// <summary>Id of <c>&lt;/s&gt;</c>, the end of sequence (1 in <c>t5.vocab</c>).</summary>
    public int EosId { get; }

    internal ByteTrie Trie { get; }

    /// <summary>The piece with id <paramref name="id"/> as written in the file (spaces shown as ▁).</summary>
    public string GetPiece(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, Count);
        return Encoding.UTF8.GetString(_pieceBytes, _pieceStart[id], _pieceStart[id + 1] - _pieceStart[id]);
    }

    /// <summary>The cost of piece <paramref name="id"/>: its negated log-probability (≥ 0).</summary>
    public double GetScore(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, Count);
        return _costs[id];
    }

    /// <summary>
    /// Looks up a piece, written either as in the file (<c>▁the</c>) or with a plain space (<c> the</c>).
    /// </summary>
    public bool TryGetId(string piece, out int id)
    {
        ArgumentNullException.ThrowIfNull(piece);
        id = Trie.Find(Encoding.UTF8.GetBytes(piece.Replace(T5VocabularyReader.SpaceMarker, ' ')));
        return id >= 0;
    }

    /// <summary>Cost of each id, indexed by id (shared, never modified).</summary>
    internal ReadOnlySpan<double> Costs => _costs;

    private int RequireId(string piece, string role) =>
        TryGetId(piece, out var id)
            ? id
            : throw new VocabularyFormatException(Source, $"no '{piece}' piece ({role} ml-mdm needs)");
}
