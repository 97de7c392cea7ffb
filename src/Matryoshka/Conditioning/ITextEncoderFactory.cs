namespace Matryoshka.Conditioning;

/// <summary>
/// Creates the text encoder a model manifest names. Encoder packages provide one and announce it with
/// <see cref="TextEncoderProviderAttribute"/>, so <c>FromPretrained</c> finds it without code from the user.
/// </summary>
public interface ITextEncoderFactory
{
    /// <summary>The name manifests use for this encoder (e.g. <c>minilm</c>).</summary>
    string Kind { get; }

    /// <summary>Creates the encoder described by <paramref name="spec"/>; the caller owns it.</summary>
    /// <exception cref="MatryoshkaException">The spec asks for something this encoder cannot do.</exception>
    ITextEncoder Create(TextEncoderSpec spec);
}
