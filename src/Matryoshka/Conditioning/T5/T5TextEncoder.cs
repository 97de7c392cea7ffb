using System.Globalization;
using Matryoshka.Conditioning.Tokenization;
using static TorchSharp.torch;

namespace Matryoshka.Conditioning.T5;

/// <summary>
/// Text conditioning as ml-mdm computes it for its released models: ml-mdm's caption tokenizer over <c>t5.vocab</c>
/// (generation path: a space before the prompt, <c>&lt;/s&gt;</c> after it), a T5 encoder (flan-t5-xl for those
/// models), and the encoder output multiplied by the mask, so padding is zero vectors with mask 0. A batch is padded
/// to its longest prompt; the pipeline pads prompt and negative prompt to a common length the same way, which is what
/// ml-mdm's joint tokenisation of the two gives (the released models attend to padded positions, so the length
/// matters). Each prompt's encoding is cached.
/// </summary>
public sealed class T5TextEncoder : ITextEncoder, IDisposable
{
    private readonly T5Encoder _encoder;
    private readonly bool _ownsEncoder;
    private readonly LruCache<string, EncodedPrompt>? _cache;

    /// <summary>Wraps an encoder and a tokenizer.</summary>
    /// <param name="encoder">The T5 encoder (its vocabulary must cover the tokenizer's ids).</param>
    /// <param name="tokenizer">ml-mdm's tokenizer over the encoder's vocabulary.</param>
    /// <param name="options">Caption and token limits, cache size.</param>
    /// <param name="ownsEncoder">Whether <see cref="Dispose"/> disposes <paramref name="encoder"/>.</param>
    /// <exception cref="ArgumentException">The tokenizer has ids the encoder cannot embed.</exception>
    public T5TextEncoder(T5Encoder encoder, MlMdmTokenizer tokenizer, T5TextEncoderOptions? options = null, bool ownsEncoder = true)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(tokenizer);
        Options = options ?? new T5TextEncoderOptions();
        Options.Validate();
        if (tokenizer.Vocabulary.Count > encoder.Config.VocabSize)
            throw new ArgumentException($"The vocabulary has {tokenizer.Vocabulary.Count} pieces but the encoder embeds only {encoder.Config.VocabSize} ids.", nameof(tokenizer));
        _encoder = encoder;
        _ownsEncoder = ownsEncoder;
        Tokenizer = tokenizer;
        if (Options.CacheCapacity > 0) _cache = new LruCache<string, EncodedPrompt>(Options.CacheCapacity);
    }

    /// <summary>
    /// Loads a Hugging Face T5 folder (<c>config.json</c> and <c>model.safetensors</c> or sharded safetensors) and
    /// ml-mdm's <c>t5.vocab</c>.
    /// </summary>
    /// <exception cref="MatryoshkaException">A file is missing, malformed or does not fit (the message names it).</exception>
    public static T5TextEncoder FromPretrained(string folder, string vocabularyPath, Device? device = null, ScalarType dtype = ScalarType.Float32,
        T5TextEncoderOptions? options = null)
    {
        var tokenizer = MlMdmTokenizer.Load(vocabularyPath);
        var encoder = T5Encoder.FromPretrained(folder, device, dtype);
        try
        {
            return new T5TextEncoder(encoder, tokenizer, options);
        }
        catch (ArgumentException e)
        {
            encoder.Dispose();
            throw new ModelConfigurationException(folder, e.Message);
        }
    }

    /// <summary>The longest prompt accepted, in UTF-16 characters.</summary>
    public const int MaxPromptCharacters = 100_000;

    /// <summary>Limits and cache size.</summary>
    public T5TextEncoderOptions Options { get; }

    /// <summary>The caption tokenizer.</summary>
    public MlMdmTokenizer Tokenizer { get; }

    /// <inheritdoc />
    public int EmbeddingDim => _encoder.Config.ModelDim;

    /// <summary>Prompts whose encoding is cached.</summary>
    public int CachedPromptCount => _cache?.Count ?? 0;

    /// <summary>
    /// Encodes the prompts into float32 embeddings [B, T, d_model] and a float32 mask [B, T] on <paramref name="device"/>,
    /// T the longest prompt's token count.
    /// </summary>
    /// <exception cref="ArgumentException">No prompt, a null one (use "" for an empty prompt), or one over <see cref="MaxPromptCharacters"/>.</exception>
    public TextConditioning Encode(IReadOnlyList<string> prompts, Device device)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(device);
        if (prompts.Count == 0) throw new ArgumentException("Give at least one prompt (\"\" is a valid, empty prompt).", nameof(prompts));
        for (int i = 0; i < prompts.Count; i++)
        {
            if (prompts[i] is null) throw new ArgumentException($"Prompt {i} is null; use \"\" for an empty prompt.", nameof(prompts));
            // Tokenising costs memory in proportion to the text, and only the first MaxTokenLength ids are kept.
            if (prompts[i].Length > MaxPromptCharacters)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Prompt {i} has {prompts[i].Length:N0} characters; at most {MaxPromptCharacters:N0} are accepted (only the first {Options.MaxTokenLength} tokens count)."), nameof(prompts));
        }

        var encoded = Encoded(prompts);
        int width = EmbeddingDim;
        int length = encoded.Max(e => e.Mask.Length);
        var embeddings = new float[(long)prompts.Count * length * width];
        var mask = new float[prompts.Count * length];
        for (int b = 0; b < prompts.Count; b++)
        {
            encoded[b].Values.CopyTo(embeddings, (long)b * length * width);
            encoded[b].Mask.CopyTo(mask, b * length);
        }
        using var scope = NewDisposeScope();
        var embeddingTensor = tensor(embeddings, new long[] { prompts.Count, length, width }, dtype: ScalarType.Float32, device: device);
        var maskTensor = tensor(mask, new long[] { prompts.Count, length }, dtype: ScalarType.Float32, device: device);
        return new TextConditioning(embeddingTensor.MoveToOuterDisposeScope(), maskTensor.MoveToOuterDisposeScope());
    }

    /// <summary>Frees the encoder (when owned).</summary>
    public void Dispose()
    {
        if (_ownsEncoder) _encoder.Dispose();
        _cache?.Clear();
    }

    // A prompt's token outputs × mask (tokens × d_model, float32) and its mask (1 per token; 0 only for a literal
    // "<pad>" typed in the prompt, which ml-mdm masks too).
    private sealed record EncodedPrompt(float[] Values, float[] Mask);

    // Cached prompts first; the rest run as one batch padded to its longest prompt, which leaves every token's output
    // as it is alone (padded keys are masked out of the attention).
    private EncodedPrompt[] Encoded(IReadOnlyList<string> prompts)
    {
        var found = new Dictionary<string, EncodedPrompt>();
        var missing = new List<string>();
        foreach (var prompt in prompts.Distinct())
        {
            if (_cache is not null && _cache.TryGet(prompt, out var cached)) found[prompt] = cached;
            else missing.Add(prompt);
        }
        if (missing.Count > 0)
        {
            var ids = missing.Select(p => Tokenizer.EncodeForInference(p, Options.MaxCaptionLength)).ToArray();
            var batch = Tokenizer.CreateBatch(ids, Options.MaxTokenLength);
            using var scope = NewDisposeScope();
            var mask = tensor(batch.Mask).to(ScalarType.Float32);
            var hidden = (_encoder.forward(tensor(batch.Ids), mask).to(ScalarType.Float32) * mask.unsqueeze(-1)).cpu();
            for (int i = 0; i < missing.Count; i++)
            {
                int tokens = Math.Min(ids[i].Length, batch.Length);
                var values = hidden[i].narrow(0, 0, tokens).contiguous().data<float>().ToArray();
                var rowMask = mask[i].narrow(0, 0, tokens).contiguous().data<float>().ToArray();
                var prompt = new EncodedPrompt(values, rowMask);
                found[missing[i]] = _cache is null ? prompt : _cache.GetOrAdd(missing[i], prompt);
            }
        }
        return prompts.Select(p => found[p]).ToArray();
    }
}
