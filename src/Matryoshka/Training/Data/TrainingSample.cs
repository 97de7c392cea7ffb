namespace Matryoshka.Training.Data;

/// <summary>
/// One decoded training example: <paramref name="Pixels"/> holds <paramref name="Channels"/> ·
/// <paramref name="Height"/> · <paramref name="Width"/> values in CHW order, already normalised to the model range.
/// </summary>
/// <param name="Pixels">The image values, channel-major (CHW).</param>
/// <param name="Channels">Number of channels (1 or 3 for the built-in datasets).</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Captions">Every caption of the sample (possibly none); a batch picks one per epoch.</param>
/// <param name="Label">The class label for class-conditional data, or null.</param>
public sealed record TrainingSample(float[] Pixels, int Channels, int Height, int Width, IReadOnlyList<string> Captions, int? Label);
