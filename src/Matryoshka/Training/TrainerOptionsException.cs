namespace Matryoshka.Training;

/// <summary>A <see cref="TrainerOptions"/> value is out of range, or the options do not fit the model being trained.</summary>
public sealed class TrainerOptionsException : MatryoshkaException
{
    /// <summary>Creates the exception with a message naming the option and the offending value.</summary>
    public TrainerOptionsException(string message) : base(message) { }
}
