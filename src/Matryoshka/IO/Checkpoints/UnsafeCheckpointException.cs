namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// A checkpoint whose pickle names a Python global that no checkpoint legitimately needs (for example
/// <c>posix.system</c> or <c>builtins.eval</c>), or applies an allowed one in a way checkpoints never
/// do. Nothing named in the pickle is ever executed: the file is refused as soon as the global is read.
/// </summary>
public sealed class UnsafeCheckpointException : CheckpointFormatException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> naming the refused global.</summary>
    public UnsafeCheckpointException(string filePath, string globalName, string problem)
        : base(filePath, problem)
    {
        GlobalName = globalName;
    }

    /// <summary>The refused global as <c>module.name</c>, for example <c>posix.system</c>.</summary>
    public string GlobalName { get; }
}
