namespace Matryoshka.Pipelines.Generation;

/// <summary>What a <see cref="GenerationJob"/> draws: prompts, precomputed text conditioning from a file, or class labels.</summary>
public sealed record GenerationInput
{
    private GenerationInput() { }

    /// <summary>Prompts, one image each; null for the other inputs.</summary>
    public IReadOnlyList<string>? Prompts { get; private init; }

    /// <summary>What guidance steers away from, with <see cref="Prompts"/>.</summary>
    public string NegativePrompt { get; private init; } = "";

    /// <summary>A safetensors file with <c>lm_outputs</c>/<c>lm_mask</c> (or ml-mdm's <c>_cond</c>/<c>_uncond</c> pairs), one image per row; null for the other inputs.</summary>
    public string? ConditioningFile { get; private init; }

    /// <summary>With <see cref="ConditioningFile"/>: a file with the unconditional <c>lm_outputs</c>/<c>lm_mask</c>, if not in the conditioning file.</summary>
    public string? NegativeConditioningFile { get; private init; }

    /// <summary>Class labels of a class-conditional model, one image each; null for the other inputs.</summary>
    public IReadOnlyList<long>? ClassLabels { get; private init; }

    /// <summary>Prompts, encoded by the model folder's text encoder or <see cref="GenerationJobOptions.PromptEncoder"/>.</summary>
    public static GenerationInput FromPrompts(IReadOnlyList<string> prompts, string negativePrompt = "") => new()
    {
        Prompts = prompts ?? throw new ArgumentNullException(nameof(prompts)),
        NegativePrompt = negativePrompt ?? throw new ArgumentNullException(nameof(negativePrompt)),
    };

    /// <summary>Precomputed text conditioning.</summary>
    public static GenerationInput FromConditioningFile(string path, string? negativePath = null) => new()
    {
        ConditioningFile = path ?? throw new ArgumentNullException(nameof(path)),
        NegativeConditioningFile = negativePath,
    };

    /// <summary>Class labels: rows of the model's class-embedding table.</summary>
    public static GenerationInput FromClassLabels(IReadOnlyList<long> labels) => new() { ClassLabels = labels ?? throw new ArgumentNullException(nameof(labels)) };
}
