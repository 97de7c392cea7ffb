namespace Matryoshka.Pipelines.Generation;

/// <summary>A <see cref="GenerationJob"/>'s inputs do not go together, or a conditioning file does not hold what it should (the message says which).</summary>
public sealed class GenerationJobException : MatryoshkaException
{
    /// <summary>Creates the exception with a message that names the problem.</summary>
    public GenerationJobException(string message) : base(message) { }
}
