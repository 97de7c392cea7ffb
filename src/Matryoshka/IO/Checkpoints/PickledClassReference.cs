namespace Matryoshka.IO.Checkpoints;

/// <summary>A class of the checkpoint's config that appears as a value (not an instance). Kept as its name.</summary>
/// <param name="TypeName">The class as <c>module.name</c>.</param>
public sealed record PickledClassReference(string TypeName)
{
    /// <summary>The class name.</summary>
    public override string ToString() => TypeName;
}
