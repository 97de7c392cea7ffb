namespace Matryoshka.Conditioning.T5;

/// <summary>How <see cref="T5TextEncoder"/> turns prompts into token ids, and how many prompt encodings it keeps.</summary>
public sealed record T5TextEncoderOptions
{
    /// <summary>
    /// Prompts are cut to this many characters (Unicode code points) before tokenising, as ml-mdm's
    /// <c>max_caption_length</c> does at generation (512 in its cc12m_64x64 config); −1 (the default, as in the 256 and
    /// 1024 configs) keeps them whole.
    /// </summary>
    public int MaxCaptionLength { get; init; } = -1;

    /// <summary>Token ids per prompt at most (ml-mdm's <c>max_token_length</c>, 128); longer prompts keep their first ids.</summary>
    public int MaxTokenLength { get; init; } = 128;

    /// <summary>Prompt encodings kept (least recently used ones are dropped); 0 turns the cache off.</summary>
    public int CacheCapacity { get; init; } = 64;

    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (MaxCaptionLength < -1) throw new ArgumentOutOfRangeException(nameof(MaxCaptionLength), MaxCaptionLength, "Use −1 (no limit) or a length ≥ 0.");
        if (MaxTokenLength is < 1 or > 4096) throw new ArgumentOutOfRangeException(nameof(MaxTokenLength), MaxTokenLength, "Must be in [1, 4096].");
        if (CacheCapacity is < 0 or > 100_000) throw new ArgumentOutOfRangeException(nameof(CacheCapacity), CacheCapacity, "Must be in [0, 100000].");
    }
}
