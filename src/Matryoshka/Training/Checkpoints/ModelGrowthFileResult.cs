namespace Matryoshka.Training.Checkpoints;

/// <summary>What <see cref="ModelGrowthFiles.Grow"/> did.</summary>
/// <param name="SourceTensors">Tensors of the smaller model, now the larger model's <c>inner_unet.*</c>.</param>
/// <param name="WrittenTensors">Tensors of the grown model written to the output.</param>
public sealed record ModelGrowthFileResult(int SourceTensors, int WrittenTensors);
