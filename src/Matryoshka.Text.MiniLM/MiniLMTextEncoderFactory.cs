using Matryoshka.Conditioning;
using Matryoshka.Text.MiniLM;

[assembly: TextEncoderProvider(typeof(MiniLMTextEncoderFactory))]

namespace Matryoshka.Text.MiniLM;

/// <summary>
/// Creates all-MiniLM-L6-v2 encoders for model manifests whose text encoder is <c>minilm</c> (library
/// <c>Matryoshka.Text.MiniLM</c>), with the manifest's token limit.
/// </summary>
public sealed class MiniLMTextEncoderFactory : ITextEncoderFactory
{
    /// <inheritdoc />
    public string Kind => "minilm";

    /// <inheritdoc />
    public ITextEncoder Create(TextEncoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.MaxTokens > MiniLMTextEncoderOptions.ModelMaxTokens)
            throw new MatryoshkaException($"text_encoder.max_tokens {spec.MaxTokens} exceeds all-MiniLM-L6-v2's {MiniLMTextEncoderOptions.ModelMaxTokens} (model manifest in {spec.ModelFolder}).");
        return new MiniLMTextEncoder(new MiniLMTextEncoderOptions { MaxTokens = spec.MaxTokens });
    }
}
