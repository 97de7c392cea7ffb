namespace Matryoshka.Text.MiniLM.Tokenization;

/// <summary>
/// The uncased BERT WordPiece tokenizer all-MiniLM-L6-v2 was trained with: BERT's basic tokenizer (control characters
/// dropped, lowercase, accents stripped, punctuation and CJK ideographs split off), then greedy longest-match-first
/// word pieces, continuations marked "##", and [UNK] for a word that cannot be spelled in pieces (or is longer than
/// 100 characters). Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// <para>
/// Written here on purpose: Microsoft.ML.Tokenizers 3.0.0's <c>BertTokenizer</c> (lowercase, RemoveNonSpacingMarks,
/// IndividuallyTokenizeCjk, UnknownToken "[UNK]") gives other ids than Hugging Face's tokenizer for this model on five
/// of our golden cases: it drops a tab instead of splitting on it ("a\tred" → "are ##d", not "a red"); it keeps format
/// and private-use characters (U+200B, U+00AD, U+E000) and then splits a word on them ("r\uE000ed" → "r ed", not
/// "red"); its pre-tokenizer (\w+ or Unicode punctuation) silently drops ASCII symbols and other symbols ("$", "^",
/// "+", "☃": "3.14$" loses its "$", "a ☃ apple" → "a apple" and "apple☃" → "apple", where BERT gives "$", [UNK] and
/// [UNK]); and its length limit cuts at word boundaries ("embeddings" at 4 ids → [CLS] [SEP], not [CLS] em ##bed
/// [SEP]). A custom pre-tokenizer fixes the symbols, but the tab, the format characters and the cut would need our own
/// normaliser and truncation, i.e. this class again. It also drops CJK ideographs outside the BMP and leaves Hangul
/// undecomposed ([UNK]). Owning it also lets tokenization stop reading a prompt at the length limit, so an absurdly long
/// prompt costs no more than a long one (the library normalises the whole text first).
/// </para>
/// <para>
/// Lowercasing uses .NET's invariant culture, which differs from Python's str.lower in rare context-dependent cases
/// (the Greek final sigma).
/// </para>
/// </remarks>
public sealed class WordPieceTokenizer
{
    /// <summary>Marks a word piece that continues the previous one.</summary>
    public const string ContinuationPrefix = "##";

    /// <summary>The start-of-sequence token, first in every encoded sequence.</summary>
    public const string ClassToken = "[CLS]";

    /// <summary>The end-of-sequence token, last in every encoded sequence.</summary>
    public const string SeparatorToken = "[SEP]";

    /// <summary>Stands for a word the vocabulary cannot spell.</summary>
    public const string UnknownToken = "[UNK]";

    /// <summary>The padding token (never produced by <see cref="Encode"/>; padding is the encoder's business).</summary>
    public const string PaddingToken = "[PAD]";

    private readonly string[] _tokens;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _words;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuations;

    /// <summary>Creates the tokenizer for a vocabulary whose i-th entry has id i.</summary>
    /// <exception cref="ArgumentException">An entry is empty or repeated, or [CLS], [SEP], [UNK] or [PAD] is missing.</exception>
    public WordPieceTokenizer(IEnumerable<string> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        _tokens = vocabulary.ToArray();
        var words = new Dictionary<string, int>(_tokens.Length, StringComparer.Ordinal);
        var continuations = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int id = 0; id < _tokens.Length; id++)
        {
            string token = _tokens[id] ?? throw new ArgumentException($"Vocabulary entry {id} is null.", nameof(vocabulary));
            if (token.Length == 0) throw new ArgumentException($"Vocabulary entry {id} is empty.", nameof(vocabulary));
            if (!seen.Add(token)) throw new ArgumentException($"Vocabulary entry {id} ('{token}') repeats an earlier entry.", nameof(vocabulary));
            if (token.StartsWith(ContinuationPrefix, StringComparison.Ordinal) && token.Length > ContinuationPrefix.Length)
                continuations[token[ContinuationPrefix.Length..]] = id;
            else
                words[token] = id;
        }
        _words = words.GetAlternateLookup<ReadOnlySpan<char>>();
        _continuations = continuations.GetAlternateLookup<ReadOnlySpan<char>>();
        ClassId = Special(ClassToken);
        SeparatorId = Special(SeparatorToken);
        UnknownId = Special(UnknownToken);
        PaddingId = Special(PaddingToken);

        int Special(string token) => words.TryGetValue(token, out int id) ? id
            : throw new ArgumentException($"The vocabulary has no {token} entry; it is not a BERT WordPiece vocabulary.", nameof(vocabulary));
    }

    /// <summary>Reads a vocabulary file: one token per line, the line number (from 0) is its id; LF or CRLF line ends.</summary>
    /// <exception cref="MiniLMModelFileException">The file is missing, unreadable, larger than 16 MiB, or not a BERT WordPiece vocabulary.</exception>
    public static WordPieceTokenizer FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new MiniLMModelFileException(path, "the vocabulary file does not exist.");
        // A final line break leaves no empty last entry; a stray blank line elsewhere is an error.
        var lines = WordPieceVocabularyFile.ReadLines(path);
        try
        {
            return new WordPieceTokenizer(lines);
        }
        catch (ArgumentException e)
        {
            throw new MiniLMModelFileException(path, e.Message, e);
        }
    }

    /// <summary>Number of entries; ids run from 0 to VocabularySize − 1.</summary>
    public int VocabularySize => _tokens.Length;

    /// <summary>Id of [CLS].</summary>
    public int ClassId { get; }

    /// <summary>Id of [SEP].</summary>
    public int SeparatorId { get; }

    /// <summary>Id of [UNK].</summary>
    public int UnknownId { get; }

    /// <summary>Id of [PAD].</summary>
    public int PaddingId { get; }

    /// <summary>The vocabulary entry with this id (continuations with their "##").</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such id.</exception>
    public string TokenOf(int id) => (uint)id < (uint)_tokens.Length ? _tokens[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token ids run from 0 to {_tokens.Length - 1}.");

    /// <summary>The id of a vocabulary entry (continuations spelled with their "##"), if there is one.</summary>
    public bool TryGetId(string token, out int id)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.StartsWith(ContinuationPrefix, StringComparison.Ordinal) && token.Length > ContinuationPrefix.Length
            ? _continuations.TryGetValue(token.AsSpan(ContinuationPrefix.Length), out id)
            : _words.TryGetValue(token.AsSpan(), out id);
    }

    /// <summary>The word pieces of <paramref name="text"/> as vocabulary entries, without [CLS] and [SEP].</summary>
    /// <param name="text">Any text; null is not allowed.</param>
    /// <param name="maxPieces">Stop after this many pieces (the rest of the text is not read).</param>
    public IReadOnlyList<string> Tokenize(string text, int maxPieces = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPieces);
        var ids = new List<int>();
        AppendPieces(text, ids, maxPieces);
        return ids.Select(id => _tokens[id]).ToArray();
    }

    /// <summary>
    /// The ids the model reads: [CLS], the word pieces, [SEP]; truncated to <paramref name="maxLength"/> ids by
    /// dropping word pieces from the end ([SEP] is always last). Empty or whitespace text gives [CLS] [SEP].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 2.</exception>
    public int[] Encode(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var ids = new List<int>(Math.Min(maxLength, 64)) { ClassId };
        AppendPieces(text, ids, maxLength - 2);
        ids.Add(SeparatorId);
        return ids.ToArray();
    }

    private void AppendPieces(string text, List<int> ids, int maxPieces)
    {
        int limit = ids.Count + maxPieces;
        if (ids.Count >= limit) return;
        foreach (var word in BertWordSplitter.Words(text))
        {
            if (word is null) ids.Add(UnknownId);
            else AppendWord(word, ids, limit);
            if (ids.Count >= limit) return;
        }
    }

    // Greedy longest-match-first: the longest vocabulary entry that starts the rest of the word, "##" after the
    // first piece. If some rest has no entry at all, the whole word is [UNK].
    private void AppendWord(string word, List<int> ids, int limit)
    {
        int first = ids.Count;
        int start = 0;
        while (start < word.Length)
        {
            var lookup = start == 0 ? _words : _continuations;
            int end = word.Length, id = -1;
            for (; end > start; end--)
            {
                if (lookup.TryGetValue(word.AsSpan(start, end - start), out id)) break;
            }
            if (end == start)
            {
                ids.RemoveRange(first, ids.Count - first);
                ids.Add(UnknownId);
                return;
            }
            ids.Add(id);
            start = end;
        }
        if (ids.Count > limit) ids.RemoveRange(limit, ids.Count - limit);
    }
}
