namespace Matryoshka.IO.Checkpoints;

/// <summary>Stands for Python's None as a dict key, since .NET dictionaries take no null keys.</summary>
internal sealed class PickleNone
{
    public static PickleNone Key { get; } = new();

    private PickleNone() { }

    public override string ToString() => "None";
}
