namespace Matryoshka.Conditioning;

/// <summary>
/// The text encoder a model was trained with, as a model manifest names it: which kind, from which assembly
/// (package), its embedding width and token limit, and optional files (relative to the model folder).
/// </summary>
/// <param name="Kind">The encoder's registered name, e.g. <c>minilm</c> or <c>t5</c>.</param>
/// <param name="Library">The assembly (package) that provides it, e.g. <c>Matryoshka.Text.MiniLM</c>; null for the core's.</param>
/// <param name="Width">Embedding width D the model expects.</param>
/// <param name="MaxTokens">Longest prompt in tokens the model was trained with.</param>
/// <param name="ModelFolder">The folder the manifest lies in; relative paths resolve against it.</param>
/// <param name="Path">The encoder's own weights (a file or folder), when it has any outside its package.</param>
/// <param name="Vocabulary">A vocabulary file, when the encoder needs one.</param>
public sealed record TextEncoderSpec(string Kind, string? Library, int Width, int MaxTokens, string ModelFolder, string? Path = null, string? Vocabulary = null);
