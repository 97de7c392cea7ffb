namespace Matryoshka.IO.Checkpoints;

/// <summary>How far a checkpoint write has come: tensors and bytes written of the totals.</summary>
/// <param name="TensorsWritten">Tensors whose storage is in the file.</param>
/// <param name="TensorCount">Tensors to write in all.</param>
/// <param name="BytesWritten">Tensor bytes written.</param>
/// <param name="TotalBytes">Tensor bytes to write in all.</param>
public readonly record struct CheckpointWriteProgress(int TensorsWritten, int TensorCount, long BytesWritten, long TotalBytes);
