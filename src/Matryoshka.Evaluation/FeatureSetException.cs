namespace Matryoshka.Evaluation;

/// <summary>Feature sets that cannot be compared: too few rows, ragged or mismatched widths, NaN or infinite values.</summary>
public sealed class FeatureSetException(string message) : MatryoshkaException(message);
