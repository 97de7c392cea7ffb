using static TorchSharp.torch;

namespace Matryoshka.Models;

/// <summary>Checks a forward call's inputs against the model, so mistakes surface as clear errors rather than shape failures deep inside.</summary>
internal static class ModelInputs
{
    public static void Validate(ModelPlan plan, IReadOnlyList<Tensor> noisy, Tensor timesteps, Tensor? text, Tensor? textMask)
    {
        ValidateImages(plan, noisy, timesteps);
        ValidateConditioning(plan, timesteps.shape[0], text, textMask);
    }

    public static void ValidateImages(ModelPlan plan, IReadOnlyList<Tensor> noisy, Tensor timesteps)
    {
        ArgumentNullException.ThrowIfNull(noisy);
        ArgumentNullException.ThrowIfNull(timesteps);
        plan.EnsureRunnable();
        int levels = plan.Levels.Count;
        if (noisy.Count != levels)
            throw new ArgumentException($"The model has {levels} levels ({Sides(plan)}) but {noisy.Count} inputs were given.", nameof(noisy));

        long lowBatch = noisy[^1].shape[0];
        for (int l = 0; l < levels; l++)
        {
            var x = noisy[l];
            long side = plan.Levels[l].Resolution;
            if (x.dim() != 4 || x.shape[1] != plan.Config.InputChannels || x.shape[2] != side || x.shape[3] != side)
                throw new ArgumentException(
                    $"Level {l} input has shape [{string.Join(", ", x.shape)}]; expected [B, {plan.Config.InputChannels}, {side}, {side}].", nameof(noisy));
            if (x.shape[0] < 1 || x.shape[0] > lowBatch || (l > 0 && x.shape[0] < noisy[l - 1].shape[0]))
                throw new ArgumentException(
                    $"Level {l} carries {x.shape[0]} samples; a level may carry fewer samples than the levels below it, never more, and at least one.", nameof(noisy));
        }

        if (timesteps.dim() != 1 || timesteps.shape[0] != lowBatch || timesteps.is_floating_point())
            throw new ArgumentException($"Timesteps must be an integer tensor [{lowBatch}]; got {timesteps.dtype} [{string.Join(", ", timesteps.shape)}].", nameof(timesteps));
    }

    public static void ValidateConditioning(ModelPlan plan, long lowBatch, Tensor? text, Tensor? textMask)
    {
        plan.EnsureRunnable();
        if (lowBatch < 1) throw new ArgumentOutOfRangeException(nameof(lowBatch), lowBatch, "The batch must have at least one sample.");
        if (!plan.IsTextConditioned) return;
        if (text is null)
            throw new ArgumentNullException(nameof(text), $"The model is text-conditioned (width {plan.Config.TextEmbeddingDim}); text embeddings are required.");
        if (text.dim() != 3 || text.shape[0] != lowBatch || text.shape[2] != plan.Config.TextEmbeddingDim || text.shape[1] < 1)
            throw new ArgumentException(
                $"Text embeddings have shape [{string.Join(", ", text.shape)}]; expected [{lowBatch}, T ≥ 1, {plan.Config.TextEmbeddingDim}].", nameof(text));
        if (textMask is not null && (textMask.dim() != 2 || textMask.shape[0] != lowBatch || textMask.shape[1] != text.shape[1]))
            throw new ArgumentException(
                $"The text mask has shape [{string.Join(", ", textMask.shape)}]; expected [{lowBatch}, {text.shape[1]}].", nameof(textMask));
        // Masked mean pooling divides by the token count: a row without tokens would silently turn into NaN.
        if (textMask is not null && HasEmptyRow(textMask))
            throw new ArgumentException("A text mask row has no real token; every prompt needs at least one (ml-mdm's tokenizer always adds </s>).", nameof(textMask));
    }

    private static bool HasEmptyRow(Tensor mask)
    {
        using var scope = NewDisposeScope();
        return (mask != 0).sum(1).min().item<long>() == 0;
    }

    private static string Sides(ModelPlan plan) => string.Join(" → ", plan.Resolutions);
}
