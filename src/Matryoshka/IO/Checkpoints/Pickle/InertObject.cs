namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// An instance of an inert class (an ml-mdm config dataclass, argparse.Namespace) as plain data: the
/// class name, the constructor arguments recorded by the pickle and the state BUILD gave it. No type is
/// ever looked up or instantiated.
/// </summary>
internal sealed class InertObject(string typeName, PickleTuple arguments, PickleDict? keywordArguments)
{
    public string TypeName { get; } = typeName;

    public PickleTuple Arguments { get; } = arguments;

    public PickleDict? KeywordArguments { get; } = keywordArguments;

    /// <summary>Attributes from BUILD states that are dicts (the usual <c>__dict__</c> state).</summary>
    public PickleDict Fields { get; } = new();

    /// <summary>A BUILD state that is not a dict (a class with its own <c>__setstate__</c>), kept as is.</summary>
    public object? OtherState { get; set; }
}
