using Matryoshka.Conditioning;
using Matryoshka.Guidance;
using Matryoshka.Text.MiniLM.Tokenization;
using static TorchSharp.torch;

namespace Matryoshka.Text.MiniLM;

/// <summary>
/// A pretrained, frozen text encoder: sentence-transformers' all-MiniLM-L6-v2 (6 layers, 384 wide, uncased,
/// Apache-2.0) on ONNX Runtime. <see cref="Encode"/> gives the per-token outputs (last_hidden_state) that a model
/// cross-attends to; <see cref="EncodePooled"/> the model's sentence embedding. Token outputs of each distinct prompt
/// are cached (least recently used evicted), so repeated prompts such as training captions run the network once.
/// Safe to call from several threads at once; dispose it only when no call is running.
/// </summary>
public sealed class MiniLMTextEncoder : ITextEncoder, IDisposable
{
    /// <summary>Width of the token and sentence embeddings.</summary>
    public const int HiddenSize = MiniLMOnnxModel.HiddenSize;

    private readonly MiniLMOnnxModel _model;
    private readonly LruCache<TokenSequence, float[]>? _cache;
    private long _sequencesRun;
    private bool _disposed;

    /// <summary>Loads the model and vocabulary (by default the copies the build put next to the application).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">A path option is empty.</exception>
    /// <exception cref="MiniLMModelFileException">The model or vocabulary is missing, unreadable, or not all-MiniLM-L6-v2.</exception>
    public MiniLMTextEncoder(MiniLMTextEncoderOptions? options = null)
    {
        Options = options ?? new MiniLMTextEncoderOptions();
        Options.Validate();
        Tokenizer = WordPieceTokenizer.FromFile(Options.VocabularyPath ?? MiniLMModelFiles.DefaultVocabularyPath);
        _model = new MiniLMOnnxModel(Options.ModelPath ?? MiniLMModelFiles.DefaultModelPath, Options.IntraOpThreads);
        if (Options.CacheCapacity > 0) _cache = new LruCache<TokenSequence, float[]>(Options.CacheCapacity);
    }

    /// <summary>The settings the encoder was created with.</summary>
    public MiniLMTextEncoderOptions Options { get; }

    /// <summary>The WordPiece tokenizer (all-MiniLM-L6-v2's uncased vocabulary).</summary>
    public WordPieceTokenizer Tokenizer { get; }

    /// <inheritdoc />
    public int EmbeddingDim => HiddenSize;

    /// <summary>Prompts whose token outputs are cached now.</summary>
    public int CachedPromptCount => _cache?.Count ?? 0;

    /// <summary>Token sequences run through the network so far (cache hits and repeats within a call excluded).</summary>
    internal long SequencesRun => Interlocked.Read(ref _sequencesRun);

    /// <summary>Forgets every cached prompt.</summary>
    public void ClearCache() => _cache?.Clear();

    /// <summary>
    /// Token embeddings [B, T, 384] float32 and mask [B, T] float32 on <paramref name="device"/>: row b holds [CLS],
    /// the word pieces of prompt b and [SEP] (mask 1), then zero vectors with mask 0 up to T, the longest prompt's
    /// token count. Prompts longer than <see cref="MiniLMTextEncoderOptions.MaxTokens"/> are truncated; an empty
    /// prompt (the usual unconditional prompt of guidance) is [CLS] [SEP]. The tensors belong to the caller (and to
    /// the caller's dispose scope, if one is open).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="prompts"/> or <paramref name="device"/> is null.</exception>
    /// <exception cref="ArgumentException">The list is empty or holds a null prompt.</exception>
    /// <exception cref="ObjectDisposedException">The encoder was disposed.</exception>
    public TextConditioning Encode(IReadOnlyList<string> prompts, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var tokens = TokenOutputs(prompts);
        int batch = tokens.Length;
        int length = tokens.Max(t => t.Length) / HiddenSize;
        var embeddings = new float[(long)batch * length * HiddenSize];
        var mask = new float[batch * length];
        for (int b = 0; b < batch; b++)
        {
            tokens[b].CopyTo(embeddings, (long)b * length * HiddenSize);
            mask.AsSpan(b * length, tokens[b].Length / HiddenSize).Fill(1f);
        }
        using var scope = NewDisposeScope();
        var embeddingTensor = tensor(embeddings, new long[] { batch, length, HiddenSize }, dtype: ScalarType.Float32, device: device);
        var maskTensor = tensor(mask, new long[] { batch, length }, dtype: ScalarType.Float32, device: device);
        return new TextConditioning(embeddingTensor.MoveToOuterDisposeScope(), maskTensor.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Sentence embeddings [B, 384] float32 on <paramref name="device"/>, as sentence-transformers defines them for
    /// this model: the mean of the token outputs over the prompt's tokens ([CLS] and [SEP] included), L2-normalised
    /// (so cosine similarity is a dot product). Uses the same cache as <see cref="Encode"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="prompts"/> or <paramref name="device"/> is null.</exception>
    /// <exception cref="ArgumentException">The list is empty or holds a null prompt.</exception>
    /// <exception cref="ObjectDisposedException">The encoder was disposed.</exception>
    public Tensor EncodePooled(IReadOnlyList<string> prompts, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var tokens = TokenOutputs(prompts);
        var pooled = new float[tokens.Length * HiddenSize];
        for (int b = 0; b < tokens.Length; b++)
            SentencePooling.MeanNormalized(tokens[b], HiddenSize, pooled.AsSpan(b * HiddenSize, HiddenSize));
        using var scope = NewDisposeScope();
        return tensor(pooled, new long[] { tokens.Length, HiddenSize }, dtype: ScalarType.Float32, device: device).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _model.Dispose();
        _cache?.Clear();
    }

    // Per prompt, its tokens' outputs (tokens × 384). Cache first; the distinct misses run through the network in
    // batches of at most MaxBatchSize, and each result goes into the cache (which keeps the first value of a key, so
    // a hit is always bit-identical to what was returned before).
    private float[][] TokenOutputs(IReadOnlyList<string> prompts)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0) throw new ArgumentException("Give at least one prompt (\"\" is a valid, empty prompt).", nameof(prompts));
        var keys = new TokenSequence[prompts.Count];
        for (int i = 0; i < prompts.Count; i++)
        {
            string prompt = prompts[i] ?? throw new ArgumentException($"Prompt {i} is null; use \"\" for an empty prompt.", nameof(prompts));
            keys[i] = new TokenSequence(Tokenizer.Encode(prompt, Options.MaxTokens));
        }

        var found = new Dictionary<TokenSequence, float[]>();
        var missing = new List<TokenSequence>();
        var seen = new HashSet<TokenSequence>();
        foreach (var key in keys)
        {
            if (!seen.Add(key)) continue;
            if (_cache is not null && _cache.TryGet(key, out var cached)) found[key] = cached;
            else missing.Add(key);
        }
        foreach (var chunk in missing.Chunk(Options.MaxBatchSize))
        {
            var outputs = _model.Run(chunk.Select(k => k.Ids).ToArray(), Tokenizer.PaddingId);
            Interlocked.Add(ref _sequencesRun, chunk.Length);
            for (int i = 0; i < chunk.Length; i++)
                found[chunk[i]] = _cache is null ? outputs[i] : _cache.GetOrAdd(chunk[i], outputs[i]);
        }
        return keys.Select(k => found[k]).ToArray();
    }
}
