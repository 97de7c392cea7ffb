namespace Matryoshka.IO.Checkpoints;

/// <summary>Makes the exceptions for a problem found at one opcode of one pickle.</summary>
internal readonly record struct PickleFailure(PickleInput Input, long At)
{
    public CheckpointFormatException Format(string problem) => Input.Error(problem, At);

    public UnsafeCheckpointException Unsafe(string globalName, string problem) =>
        new(Input.FilePath, globalName, $"{Input.PickleName}, byte {At}: {problem}");
}
