namespace Matryoshka.Training;

/// <summary>A saved training state does not fit the model or trainer it is restored into.</summary>
public sealed class TrainingStateException : MatryoshkaException
{
    /// <summary>Creates the exception with a message naming what does not fit.</summary>
    public TrainingStateException(string message) : base(message) { }
}
