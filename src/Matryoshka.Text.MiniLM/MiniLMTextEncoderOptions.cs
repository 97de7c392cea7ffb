namespace Matryoshka.Text.MiniLM;

/// <summary>Settings of a <see cref="MiniLMTextEncoder"/>, checked when the encoder is created.</summary>
public sealed record MiniLMTextEncoderOptions
{
    /// <summary>The longest token sequence the model was trained on (sentence-transformers' max_seq_length).</summary>
    public const int ModelMaxTokens = 256;

    /// <summary>The ONNX model; null uses the copy the build put next to the application (<see cref="MiniLMModelFiles.DefaultModelPath"/>).</summary>
    public string? ModelPath { get; init; }

    /// <summary>The WordPiece vocabulary; null uses <see cref="MiniLMModelFiles.DefaultVocabularyPath"/>.</summary>
    public string? VocabularyPath { get; init; }

    /// <summary>
    /// Tokens per prompt, [CLS] and [SEP] included, in [3, 256]; longer prompts are truncated (never refused).
    /// 256 is what the model was trained with; a smaller value saves time and memory for short captions.
    /// </summary>
    public int MaxTokens { get; init; } = ModelMaxTokens;

    /// <summary>
    /// How many distinct prompts keep their token embeddings in memory (least recently used evicted first); 0 turns
    /// the cache off. An entry takes tokens × 1.5 KB (about 20 KB for a 12-token caption, 384 KB at 256 tokens).
    /// </summary>
    public int CacheCapacity { get; init; } = 1024;

    /// <summary>Most prompts run through the model at once; bigger batches are split (bounds the memory of one call).</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>ONNX Runtime threads for one model call; null leaves ONNX Runtime's default (one per physical core).</summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    /// <exception cref="ArgumentException">A path is empty or whitespace.</exception>
    public void Validate()
    {
        if (ModelPath is not null && string.IsNullOrWhiteSpace(ModelPath))
            throw new ArgumentException("ModelPath must be null (the default model) or a file path.", nameof(ModelPath));
        if (VocabularyPath is not null && string.IsNullOrWhiteSpace(VocabularyPath))
            throw new ArgumentException("VocabularyPath must be null (the default vocabulary) or a file path.", nameof(VocabularyPath));
        if (MaxTokens is < 3 or > ModelMaxTokens)
            throw new ArgumentOutOfRangeException(nameof(MaxTokens), MaxTokens, $"MaxTokens must be in [3, {ModelMaxTokens}] ([CLS], at least one word piece, [SEP]).");
        if (CacheCapacity < 0)
            throw new ArgumentOutOfRangeException(nameof(CacheCapacity), CacheCapacity, "CacheCapacity must be 0 (no cache) or more.");
        if (MaxBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "MaxBatchSize must be at least 1.");
        if (IntraOpThreads is < 1)
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "IntraOpThreads must be null (ONNX Runtime's default) or at least 1.");
    }
}
