using Matryoshka.Conditioning;
using Matryoshka.Conditioning.T5;
using static TorchSharp.torch;

// Declared like any plug-in's factory, so the registry (one layer down in Matryoshka.Conditioning) finds T5 without naming it.
[assembly: TextEncoderProvider(typeof(T5TextEncoderFactory))]

namespace Matryoshka.Conditioning.T5;

/// <summary>Apple's released models: flan-t5-xl (a Hugging Face folder) through ml-mdm's tokenizer, for manifests whose text encoder is <c>t5</c>.</summary>
internal sealed class T5TextEncoderFactory : ITextEncoderFactory
{
    /// <inheritdoc />
    public string Kind => "t5";

    /// <inheritdoc />
    public ITextEncoder Create(TextEncoderSpec spec)
    {
        if (spec.Path is null || spec.Vocabulary is null)
            throw new MatryoshkaException($"The text encoder 't5' needs 'path' (the T5 folder) and 'vocabulary' (t5.vocab) in the model manifest in {spec.ModelFolder}.");
        return T5TextEncoder.FromPretrained(spec.Path, spec.Vocabulary, CPU);
    }
}
