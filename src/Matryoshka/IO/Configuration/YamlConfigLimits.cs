namespace Matryoshka.IO.Configuration;

/// <summary>
/// Bounds on a YAML config, so that a hostile file is refused quickly instead of exhausting memory or time.
/// ml-mdm's released configs are about 4 KB, 6 levels deep and 400 nodes; the defaults leave a wide margin.
/// </summary>
internal sealed record YamlConfigLimits
{
    /// <summary>The defaults.</summary>
    public static YamlConfigLimits Default { get; } = new();

    /// <summary>Largest file, in bytes (and largest text, in characters).</summary>
    public long MaxBytes { get; init; } = 1 << 20;

    /// <summary>Deepest nesting of mappings and sequences.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most nodes in the result, counting every copy an alias makes (this is what stops "billion laughs").</summary>
    public int MaxNodes { get; init; } = 100_000;
}
