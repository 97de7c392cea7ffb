namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// An object of a class from the checkpoint's config (an ml-mdm config dataclass, the
/// <c>argparse.Namespace</c> of the training arguments) as inert data: its class name and the values
/// the pickle gave it. The class is never loaded or instantiated.
/// </summary>
/// <remarks>
/// Values anywhere in this tree are: <c>null</c> (None), <see cref="bool"/>, <see cref="long"/>,
/// <see cref="System.Numerics.BigInteger"/> (ints beyond 64 bits), <see cref="double"/>,
/// <see cref="string"/>, <c>byte[]</c>, <see cref="IReadOnlyList{T}"/> of values (lists, tuples, sets),
/// <see cref="IReadOnlyDictionary{TKey, TValue}"/> with string keys (dicts, in insertion order; a key
/// that is not a str appears as its Python repr), <see cref="PickledObject"/>,
/// <see cref="PickledEnumMember"/>, <see cref="PickledClassReference"/> and <see cref="TensorPlaceholder"/>.
/// </remarks>
public sealed class PickledObject
{
    internal PickledObject(
        string typeName,
        IReadOnlyList<object?> arguments,
        IReadOnlyDictionary<string, object?> keywordArguments,
        IReadOnlyDictionary<string, object?> fields,
        object? otherState)
    {
        TypeName = typeName;
        Arguments = arguments;
        KeywordArguments = keywordArguments;
        Fields = fields;
        OtherState = otherState;
    }

    /// <summary>The class as <c>module.name</c>, for example <c>ml_mdm.samplers.SamplerConfig</c>.</summary>
    public string TypeName { get; }

    /// <summary>Positional arguments the pickle passed to the class (usually none).</summary>
    public IReadOnlyList<object?> Arguments { get; }

    /// <summary>Keyword arguments the pickle passed to the class (usually none).</summary>
    public IReadOnlyDictionary<string, object?> KeywordArguments { get; }

    /// <summary>The object's attributes (its pickled <c>__dict__</c>), in pickle order.</summary>
    public IReadOnlyDictionary<string, object?> Fields { get; }

    /// <summary>A pickled state that is not an attribute dict (classes with their own <c>__setstate__</c>); usually null.</summary>
    public object? OtherState { get; }

    /// <summary>The field <paramref name="name"/>, or null when absent.</summary>
    public object? this[string name] => Fields.GetValueOrDefault(name);

    /// <summary>A readable, Python-like summary, for example <c>SamplerConfig(num_diffusion_steps=1000, …)</c>; long output is cut short.</summary>
    public override string ToString() => PickledValueFormatter.Format(this);
}
