using static TorchSharp.torch;

namespace Matryoshka.Diffusion;

/// <summary>
/// The result of <see cref="MultiResolutionLoss.Compute"/>; lists are ordered high → low. The tensors belong to
/// the dispose scope that was current when it was computed.
/// </summary>
/// <param name="Predictions">Each level's network output converted to the loss target.</param>
/// <param name="Targets">Each level's loss target.</param>
/// <param name="LevelMse">Each level's per-sample mean squared error over C, H, W [B], before weights and mixed-batch scaling.</param>
/// <param name="PerSample">Σ_l w_l·(mixed-batch-scaled) MSE_l per sample [B] (ml-mdm's first <c>get_loss</c> output).</param>
/// <param name="Total">The batch loss (a scalar): the mean of <paramref name="PerSample"/>, or with VDM weights w its
/// weighted mean Σ w·L / Σ w (ml-mdm's trainer).</param>
public sealed record MultiResolutionLossResult(
    IReadOnlyList<Tensor> Predictions,
    IReadOnlyList<Tensor> Targets,
    IReadOnlyList<Tensor> LevelMse,
    Tensor PerSample,
    Tensor Total);

/// <summary>
/// MDM's multi-resolution denoising loss, exactly as ml-mdm's <c>NestedDiffusion.get_loss</c> forms it, with its
/// per-level weights and mixed-resolution ratio taken into account (ml-mdm's released configs set those at a
/// level its config parser ignores; here they always take effect).
/// </summary>
public static class MultiResolutionLoss
{
    /// <summary>Computes the loss of the network outputs for a batch prepared by <c>NoisedBatch.Create</c>.</summary>
    /// <param name="options">Prediction and target types, level weights, mixed ratio.</param>
    /// <param name="batch">The noised batch the network saw.</param>
    /// <param name="modelOutputs">The network's output per level, high → low, full batch size (rows a mixed batch dropped may hold anything; they are masked).</param>
    public static MultiResolutionLossResult Compute(MultiResolutionLossOptions options, NoisedBatch batch, IReadOnlyList<Tensor> modelOutputs)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(modelOutputs);
        int levels = batch.Noisy.Count;
        options.Validate(levels);
        if (modelOutputs.Count != levels)
            throw new ArgumentException($"Got {modelOutputs.Count} model outputs for {levels} levels.", nameof(modelOutputs));
        for (int l = 0; l < levels; l++)
            if (!modelOutputs[l].shape.SequenceEqual(batch.Noisy[l].shape))
                throw new ArgumentException($"Model output of level {l} has shape [{string.Join(", ", modelOutputs[l].shape)}], expected [{string.Join(", ", batch.Noisy[l].shape)}].", nameof(modelOutputs));

        var predictions = new Tensor[levels];
        var targets = new Tensor[levels];
        var levelMse = new Tensor[levels];
        Tensor? perSample = null;
        using (var scope = NewDisposeScope())
        {
            for (int l = 0; l < levels; l++)
            {
                var signal = options.TargetsUseUnscaledSignal ? batch.Clean[l] : batch.Signal[l];
                targets[l] = Parameterization.Target(options.LossTarget, signal, batch.Noise[l], batch.AlphaBars[l]).MoveToOuterDisposeScope();
                predictions[l] = Parameterization.Convert(options.ModelPrediction, options.LossTarget, batch.Noisy[l], modelOutputs[l], batch.AlphaBars[l]).MoveToOuterDisposeScope();
                levelMse[l] = (predictions[l] - targets[l]).square().mean(new long[] { 1, 2, 3 }).MoveToOuterDisposeScope();

                Tensor contribution;
                if (l == 0 || options.LossOnAllLevels)
                {
                    contribution = levelMse[l];
                    if (options.MixedRatio is { } mixed)
                    {
                        // ml-mdm: loss / f_l, then zero the samples beyond ⌊f_l·B⌋ that did not carry this level.
                        contribution = contribution / mixed.Fractions[l];
                        int rows = mixed.RowsAtLevel(l, contribution.shape[0]);
                        var keep = arange(contribution.shape[0], device: contribution.device) < rows;
                        contribution = where(keep, contribution, zeros_like(contribution));
                    }
                }
                else
                {
                    contribution = zeros_like(levelMse[l]);
                }
                double weight = options.LevelWeights?[l] ?? 1.0;
                contribution = contribution * weight;
                perSample = perSample is null ? contribution : perSample + contribution;
            }
            perSample = perSample!.MoveToOuterDisposeScope();
        }
        return new MultiResolutionLossResult(predictions, targets, levelMse, perSample, BatchLoss(options, batch, perSample));
    }

    // ml-mdm trainer.train_batch: losses.mean(), or (losses·w).sum() / w.sum() when get_loss returns VDM weights.
    private static Tensor BatchLoss(MultiResolutionLossOptions options, NoisedBatch batch, Tensor perSample)
    {
        if (!options.VdmWeights) return perSample.mean();
        using var scope = NewDisposeScope();
        var weights = VdmLossWeights.ForTimesteps(batch.Schedule.Base, batch.Timesteps).to(perSample.dtype);
        return ((perSample * weights).sum() / weights.sum()).MoveToOuterDisposeScope();
    }
}
