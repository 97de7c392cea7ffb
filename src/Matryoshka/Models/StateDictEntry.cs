namespace Matryoshka.Models;

/// <summary>One tensor of a model's state_dict: its key (ml-mdm's name) and shape.</summary>
/// <param name="Key">The state_dict key, e.g. <c>inner_unet.conv_in.weight</c>.</param>
/// <param name="Shape">The tensor's shape.</param>
public sealed record StateDictEntry(string Key, IReadOnlyList<long> Shape)
{
    /// <summary>Number of elements (the product of <see cref="Shape"/>).</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, size) => product * size);

    /// <summary>The key and shape as ml-mdm's key listings write them: <c>key&#9;[d0,d1,…]</c>.</summary>
    public override string ToString() => $"{Key}\t[{string.Join(",", Shape)}]";
}
