namespace Matryoshka.Evaluation;

/// <summary>An evaluation setting is out of range, or asks for more images than the evaluation set has (the message names it).</summary>
public sealed class EvaluationSettingsException(string message) : MatryoshkaException(message);
