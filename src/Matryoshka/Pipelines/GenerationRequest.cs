using Matryoshka.Conditioning;
using Matryoshka.Sampling;

namespace Matryoshka.Pipelines;

/// <summary>
/// One generation: what to draw and how many steps to take. Either a prompt (encoded by the pipeline's text
/// encoder) or precomputed <see cref="Conditioning"/> must be given. Unset values fall back to the pipeline's.
/// </summary>
public sealed record GenerationRequest
{
    /// <summary>Creates a request for a prompt.</summary>
    public GenerationRequest(string? prompt = null) => Prompt = prompt;

    /// <summary>The prompt, encoded by the pipeline's text encoder.</summary>
    public string? Prompt { get; init; }

    /// <summary>
    /// Several prompts, one image each (instead of <see cref="Prompt"/>); <see cref="BatchSize"/> is then their count
    /// (leave it at 1 or set it to the same number).
    /// </summary>
    public IReadOnlyList<string>? Prompts { get; init; }

    /// <summary>What the unconditional branch of guidance sees; ml-mdm's demo uses "" by default.</summary>
    public string NegativePrompt { get; init; } = "";

    /// <summary>Precomputed text embeddings [1 or B, T, D] and mask, instead of a prompt.</summary>
    public TextConditioning? Conditioning { get; init; }

    /// <summary>Precomputed unconditional embeddings for guidance, instead of the negative prompt.</summary>
    public TextConditioning? NegativeConditioning { get; init; }

    /// <summary>Images to generate.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Sampling steps (network evaluations); null uses the pipeline's default.</summary>
    public int? Steps { get; init; }

    /// <summary>Seed of the CPU noise generator; null draws a random seed (reported in the result).</summary>
    public ulong? Seed { get; init; }

    /// <summary>One seed per image (overrides <see cref="Seed"/>): each image depends only on its own seed.</summary>
    public IReadOnlyList<ulong>? Seeds { get; init; }

    /// <summary>Guidance scale; null uses the pipeline's.</summary>
    public double? GuidanceScale { get; init; }

    /// <summary>Noise to use instead of the seeded generator (e.g. recorded noise for parity runs).</summary>
    public INoiseSource? Noise { get; init; }
}
