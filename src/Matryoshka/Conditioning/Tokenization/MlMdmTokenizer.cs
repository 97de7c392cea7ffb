using System.Text;

namespace Matryoshka.Conditioning.Tokenization;

/// <summary>
/// ml-mdm's caption tokenizer: the cheapest segmentation of a caption's UTF-8 bytes into pieces of a
/// <see cref="T5Vocabulary"/> (sum of −log-probabilities, ties broken as mlx-data's <c>tokenize_shortest</c> does),
/// with bytes no piece covers dropped (<c>ignore_unk</c>). No Unicode normalisation, no whitespace collapsing, no
/// <c>&lt;unk&gt;</c>. Immutable and safe to use from several threads at once.
/// </summary>
/// <remarks>
/// Hand-written on purpose: no library reproduces mlx-data's byte-trie search with its tie-breaking and dropped bytes
/// (SentencePiece tokenizers such as Microsoft.ML.Tokenizers' read a .model file, normalise and emit &lt;unk&gt;; see
/// docs/text-encoders.md).
/// </remarks>
public sealed class MlMdmTokenizer
{
    /// <summary>ml-mdm's <c>max_token_length</c>: the most token ids a caption keeps in a batch.</summary>
    public const int DefaultMaxTokenLength = 128;

    /// <summary>Creates a tokenizer over <paramref name="vocabulary"/>.</summary>
    public MlMdmTokenizer(T5Vocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Vocabulary = vocabulary;
    }

    /// <summary>Loads <c>t5.vocab</c> from <paramref name="vocabularyPath"/> and creates a tokenizer over it.</summary>
    /// <exception cref="VocabularyFormatException">The file is malformed.</exception>
    public static MlMdmTokenizer Load(string vocabularyPath) => new(T5Vocabulary.Load(vocabularyPath));

    /// <summary>The vocabulary the ids index.</summary>
    public T5Vocabulary Vocabulary { get; }

    /// <summary>Segments <paramref name="utf8"/> into piece ids (nothing added, nothing removed but uncovered bytes).</summary>
    public int[] Tokenize(ReadOnlySpan<byte> utf8)
    {
        var lattice = TokenLattice.Build(Vocabulary.Trie, utf8);
        return LatticeShortestPath.Find(lattice.ReachingFinal(), Vocabulary.Costs);
    }

    /// <summary>Segments the UTF-8 bytes of <paramref name="text"/> into piece ids.</summary>
    public int[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Tokenize(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// The ids ml-mdm gives a prompt at generation time (<c>reader.py::process_text</c> with the cc12m settings):
    /// the caption cut to its first <paramref name="maxCaptionLength"/> code points when that is ≥ 0 (Python's
    /// <c>caption[:n]</c>), one space prepended, tokenized, and <c>&lt;/s&gt;</c> appended. Batch with
    /// <see cref="CreateBatch"/>.
    /// </summary>
    public int[] EncodeForInference(string caption, int maxCaptionLength = -1)
    {
        ArgumentNullException.ThrowIfNull(caption);
        if (maxCaptionLength > -1)
        {
            caption = CaptionText.FirstCodePoints(caption, maxCaptionLength);
        }
        return WithEos(Tokenize(" " + caption));
    }

    /// <summary>
    /// The ids ml-mdm's training reader gives a caption: one space before and one after it, tokenized, and
    /// <c>&lt;/s&gt;</c> appended. (ml-mdm then drops, rather than cuts, samples whose padded caption is longer than
    /// <c>max_caption_length</c> bytes or whose ids are more than <c>max_token_length</c>.)
    /// </summary>
    public int[] EncodeForTraining(string caption)
    {
        ArgumentNullException.ThrowIfNull(caption);
        return WithEos(Tokenize(" " + caption + " "));
    }

    /// <summary>
    /// Pads id sequences into one batch as ml-mdm does: every row gets min(longest, <paramref name="maxTokenLength"/>)
    /// ids, shorter ones padded with <c>&lt;pad&gt;</c>, longer ones cut to their first ids (losing their
    /// <c>&lt;/s&gt;</c>). The mask is 1 where the id is not <c>&lt;pad&gt;</c>.
    /// </summary>
    public TokenBatch CreateBatch(IReadOnlyList<IReadOnlyList<int>> sequences, int maxTokenLength = DefaultMaxTokenLength) =>
        TokenBatch.Create(sequences, Vocabulary.PadId, maxTokenLength);

    private int[] WithEos(int[] ids)
    {
        var result = new int[ids.Length + 1];
        ids.CopyTo(result, 0);
        result[^1] = Vocabulary.EosId;
        return result;
    }
}
