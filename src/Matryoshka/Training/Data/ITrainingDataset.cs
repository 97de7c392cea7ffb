namespace Matryoshka.Training.Data;

/// <summary>
/// A fixed, indexable collection of training samples. <see cref="TrainingBatches"/> calls <see cref="Load"/> from one
/// background thread at a time, so an implementation needs no locking of its own as long as nothing else uses it.
/// </summary>
public interface ITrainingDataset
{
    /// <summary>Number of samples; indices run from 0 to Count − 1. Constant for the dataset's lifetime.</summary>
    int Count { get; }

    /// <summary>Reads and preprocesses sample <paramref name="index"/>.</summary>
    /// <exception cref="InvalidTrainingSampleException">
    /// The sample is corrupt, hostile or unreadable; batching skips it and takes the next index. Any other exception
    /// is treated as a fault of the whole pipeline.
    /// </exception>
    TrainingSample Load(int index);

    /// <summary>A short human-readable name of sample <paramref name="index"/> for logs, such as its file path.</summary>
    string Describe(int index);
}
