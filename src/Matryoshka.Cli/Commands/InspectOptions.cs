namespace Matryoshka.Cli.Commands;

/// <summary>Options of <c>matryoshka inspect</c> beyond the file.</summary>
/// <param name="TextDim">Text width for a model config that leaves it to run time (ml-mdm's <c>conditioning_feature_dim: -1</c>).</param>
/// <param name="Json">Print one JSON object instead of text (model configs only).</param>
/// <param name="TextLength">Text tokens the FLOP counts assume for cross-attention and the text projections; null for
/// <see cref="Matryoshka.Models.ModelFlops.DefaultTextLength"/>.</param>
/// <param name="T5">A T5 encoder for the model: a Hugging Face <c>config.json</c>, or <c>flan-t5-xl</c>; its width becomes the text width.</param>
internal sealed record InspectOptions(int? TextDim = null, bool Json = false, int? TextLength = null, string? T5 = null);
