namespace Matryoshka.Training.Checkpoints;

/// <summary>What <see cref="MlMdmCheckpointExport.Export"/> wrote.</summary>
/// <param name="CheckpointPath">The PyTorch checkpoint (<c>torch.save</c> zip format).</param>
/// <param name="ConfigPath">The ml-mdm config beside it (the source config itself when that is where it already lies).</param>
/// <param name="TensorCount">Tensors in its <c>state_dict</c>.</param>
/// <param name="TensorBytes">Bytes of tensor data.</param>
/// <param name="BatchNumber">The <c>batch_num</c> recorded.</param>
/// <param name="Weights">Which weights: <c>ema</c> or <c>trained</c> (from a training checkpoint), or <c>weights file</c>.</param>
/// <param name="TextEmbeddingDim">The text width the architecture was checked with (0 or less: unconditioned).</param>
public sealed record MlMdmExportResult(string CheckpointPath, string ConfigPath, int TensorCount, long TensorBytes, long BatchNumber,
    string Weights, int TextEmbeddingDim);
