namespace Matryoshka.Training.Data;

/// <summary>
/// One batch of training data as plain arrays (no tensors, so it can be built on any thread). Turn it into tensors
/// with <see cref="TrainingBatchTensors"/>.
/// </summary>
/// <param name="Pixels">BatchSize · Channels · Height · Width values, sample-major, each sample CHW.</param>
/// <param name="BatchSize">Number of samples.</param>
/// <param name="Channels">Channels per sample.</param>
/// <param name="Height">Sample height in pixels.</param>
/// <param name="Width">Sample width in pixels.</param>
/// <param name="Captions">One caption per sample, chosen among the sample's captions; an empty string when it has none.</param>
/// <param name="Labels">One class label per sample, or null when the samples carry no labels.</param>
/// <param name="After">The data position just after this batch: start there to continue with the next batch.</param>
public sealed record TrainingBatch(float[] Pixels, int BatchSize, int Channels, int Height, int Width,
    string[] Captions, int[]? Labels, DataPosition After);
