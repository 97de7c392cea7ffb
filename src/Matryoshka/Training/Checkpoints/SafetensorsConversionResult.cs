namespace Matryoshka.Training.Checkpoints;

/// <summary>What <see cref="SafetensorsConversion.Convert"/> wrote.</summary>
/// <param name="TensorCount">Tensors written.</param>
/// <param name="Bytes">Bytes of tensor data written.</param>
/// <param name="SourceDescription">What the input was, e.g. <c>zip format, batch_num: 1234</c> or <c>training checkpoint, EMA weights</c>.</param>
public sealed record SafetensorsConversionResult(int TensorCount, long Bytes, string SourceDescription);
