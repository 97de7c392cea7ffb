namespace Matryoshka.Extensions.AI;

/// <summary>Limits of a <see cref="MatryoshkaImageGenerator"/>, checked once when it is created.</summary>
public sealed record MatryoshkaImageGeneratorOptions
{
    /// <summary>The most images one request may ask for (<c>ImageGenerationOptions.Count</c>); 1 … 1024, default 8.</summary>
    public int MaxCount { get; init; } = 8;

    /// <summary>Throws when a limit is out of range.</summary>
    /// <exception cref="MatryoshkaException">Names the option and its allowed range.</exception>
    internal void Validate()
    {
        if (MaxCount is < 1 or > 1024) throw new MatryoshkaException($"MaxCount must be in [1, 1024]; got {MaxCount}.");
    }
}
