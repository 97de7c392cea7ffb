namespace Matryoshka.Extensions.AI;

/// <summary>
/// Keys of <c>ImageGenerationOptions.AdditionalProperties</c> that <see cref="MatryoshkaImageGenerator"/> reads. Values
/// may be numbers (any CLR numeric type), numeric strings or JSON numbers, so options that went through JSON still work.
/// </summary>
public static class MatryoshkaImageProperties
{
    /// <summary>Seed of the noise generator (a whole number in [0, 2⁶⁴ − 1]); unset draws one, reported per image.</summary>
    public const string Seed = "seed";

    /// <summary>Sampling steps (a whole number); unset uses the model's default.</summary>
    public const string Steps = "steps";

    /// <summary>Classifier-free guidance scale (a finite number); unset uses the model's default.</summary>
    public const string GuidanceScale = "guidance_scale";

    /// <summary>What the unconditional branch of guidance sees (a string); unset is the empty prompt.</summary>
    public const string NegativePrompt = "negative_prompt";
}
