namespace Matryoshka.Training;

/// <summary>A batch given to <see cref="Trainer.Step"/> does not fit the model (shape, resolution, text batch).</summary>
public sealed class TrainingInputException : MatryoshkaException
{
    /// <summary>Creates the exception with a message naming what does not fit.</summary>
    public TrainingInputException(string message) : base(message) { }
}
