using Matryoshka.Diffusion;
using Matryoshka.Guidance;
using Matryoshka.Models;
using Matryoshka.Schedules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Training;

/// <summary>
/// Trains one <see cref="NestedUNet"/> with MDM's multi-resolution loss, as ml-mdm's trainer does: uniform t and
/// independent noise per level, AdamW, linear warm-up then a constant rate, global grad-norm clipping, an EMA
/// updated after every optimizer update, optional gradient accumulation and conditioning dropout. A non-finite
/// loss or gradient norm skips the update. Runs synchronously on the calling thread; every call is
/// deterministic given <see cref="TrainerOptions.Seed"/>, the model's initial weights and the data.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly MultiResolutionSchedule _schedule;
    private readonly Parameter[] _parameters;
    private readonly AdamWOptimizer _optimizer;
    private readonly Generator _generator;
    private readonly Device _device;
    private readonly ScalarType _dtype;
    private readonly TextConditioning? _unconditional;
    private int _accumulated;

    /// <summary>Prepares the optimizer, the EMA (a copy of the current weights) and the generator.</summary>
    /// <exception cref="TrainerOptionsException">The options are invalid or do not fit the model or schedule.</exception>
    public Trainer(NestedUNet model, MultiResolutionSchedule schedule, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!schedule.Resolutions.SequenceEqual(model.Plan.Resolutions))
            throw new TrainerOptionsException($"The schedule's resolutions [{string.Join(", ", schedule.Resolutions)}] differ from the model's [{string.Join(", ", model.Plan.Resolutions)}].");
        try { options.Loss.Validate(model.Plan.Resolutions.Count); }
        catch (ArgumentException e) { throw new TrainerOptionsException($"Loss options do not fit the model: {e.Message}"); }

        Model = model;
        Options = options;
        _schedule = schedule;
        _parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        if (_parameters.Length == 0) throw new TrainerOptionsException("The model has no trainable parameters.");
        _device = _parameters[0].device;
        _dtype = _parameters[0].dtype;
        _optimizer = new AdamWOptimizer(_parameters, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
        _generator = new Generator(options.Seed);
        Ema = new EmaModel(model, options.EmaDecay);
        if (options.UnconditionalText is { } text)
            _unconditional = new TextConditioning(
                text.Embeddings.to(_device).DetachFromDisposeScope(),
                text.Mask.to(_device).DetachFromDisposeScope());
        model.train();
    }

    /// <summary>The model being trained (its weights change in place).</summary>
    public NestedUNet Model { get; }

    /// <summary>The options this trainer was created with.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The exponential moving average of the model's weights.</summary>
    public EmaModel Ema { get; }

    /// <summary>Optimizer updates made so far.</summary>
    public long OptimizerSteps { get; private set; }

    /// <summary>Updates skipped because the loss or the gradient norm was not finite.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>The learning rate the next optimizer update will use.</summary>
    public double CurrentLearningRate => WarmupSchedule.LearningRate(Options.LearningRate, Options.WarmupSteps, OptimizerSteps + 1);

    /// <summary>
    /// Trains on one (micro-)batch: draws t, noise and dropout, runs the network and the loss, accumulates the
    /// gradients, and at the end of an accumulation cycle clips, updates the weights and the EMA.
    /// </summary>
    /// <param name="images">Clean images [B, C, R, R] at the model's output resolution, in [−1, 1].</param>
    /// <param name="text">Text conditioning with batch B (or batch 1, shared by every sample) when the model is text-conditioned.</param>
    /// <exception cref="TrainingInputException">The batch does not fit the model.</exception>
    public TrainingStepResult Step(Tensor images, TextConditioning? text)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckInputs(images, text);
        TrainingStepResult result;
        using (NewDisposeScope()) result = ComputeGradients(images, text);
        if (!result.OptimizerStepped) return result;

        // The update and the EMA use their own scopes; the optimizer's moments and the EMA outlive every step.
        _optimizer.Step(result.LearningRate);
        OptimizerSteps++;
        Ema.Update(Model);
        return result;
    }

    // Forward, loss, backward and clipping; OptimizerStepped in the result means "an update is due".
    private TrainingStepResult ComputeGradients(Tensor images, TextConditioning? text)
    {
        if (_accumulated == 0) _optimizer.ZeroGradients();

        long batch = images.shape[0];
        var x0 = images.to(_dtype).to(_device);
        var timesteps = NoisedBatch.SampleTimesteps(batch, _schedule.TrainSteps, _device, _generator);
        var shapes = _schedule.Resolutions.Select(r => empty(new[] { batch, images.shape[1], r, r }, dtype: _dtype, device: _device)).ToArray();
        var noise = ForwardProcess.SampleNoise(shapes, _generator);
        // Always drawn, whatever the probability, so the random stream (and thus t and noise) does not depend on it.
        var drop = rand(new[] { batch }, dtype: ScalarType.Float64, device: CPU, generator: _generator) < Options.ConditioningDropout;
        var noised = NoisedBatch.Create(x0, _schedule, timesteps, noise);

        var conditioning = text is null ? null : Conditioning(text, batch, drop);
        var outputs = RunModel(noised, timesteps, conditioning);
        var loss = MultiResolutionLoss.Compute(Options.Loss, noised, outputs);
        double lossValue = loss.Total.item<float>();
        var levelLosses = loss.LevelMse.Select(m => (double)m.mean().item<float>()).ToArray();
        double learningRate = CurrentLearningRate;

        if (!double.IsFinite(lossValue)) return Skip(lossValue, levelLosses, learningRate, gradientNorm: null);

        (loss.Total / Options.GradientAccumulationSteps).backward();
        if (++_accumulated < Options.GradientAccumulationSteps)
            return new TrainingStepResult(lossValue, levelLosses, learningRate, Skipped: false, OptimizerStepped: false, GradientNorm: null);

        _accumulated = 0;
        // The norm is always measured: a finite loss can still give non-finite gradients, which must not reach the weights.
        double norm = Options.MaxGradientNorm > 0 ? nn.utils.clip_grad_norm_(_parameters, Options.MaxGradientNorm) : GlobalGradientNorm();
        if (!double.IsFinite(norm)) return Skip(lossValue, levelLosses, learningRate, norm);

        return new TrainingStepResult(lossValue, levelLosses, learningRate, Skipped: false, OptimizerStepped: true, norm);
    }

    // Drops the whole accumulation cycle: its earlier micro-batches' gradients are discarded with this one's.
    private double GlobalGradientNorm()
    {
        var squares = _parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!.square().sum().to(ScalarType.Float64)).ToArray();
        return squares.Length == 0 ? 0 : stack(squares).sum().sqrt().item<double>();
    }

    private TrainingStepResult Skip(double loss, double[] levelLosses, double learningRate, double? gradientNorm)
    {
        _optimizer.ZeroGradients();
        _accumulated = 0;
        SkippedSteps++;
        return new TrainingStepResult(loss, levelLosses, learningRate, Skipped: true, OptimizerStepped: false, gradientNorm);
    }

    private TextConditioning Conditioning(TextConditioning text, long batch, Tensor drop)
    {
        var embeddings = text.Embeddings.to(_dtype).to(_device);
        var mask = text.Mask.to(_device);
        if (embeddings.shape[0] == 1 && batch > 1)
        {
            embeddings = embeddings.expand(batch, -1, -1);
            mask = mask.expand(batch, -1);
        }
        var given = new TextConditioning(embeddings, mask);
        return _unconditional is null ? given : ConditioningDropout.Apply(given, _unconditional, drop);
    }

    // Mixed-resolution batches: a level sees only its first rows (ml-mdm NestedModel); its output is zero-padded
    // back to the full batch, and the loss masks those rows.
    private Tensor[] RunModel(NoisedBatch noised, Tensor timesteps, TextConditioning? text)
    {
        long batch = timesteps.shape[0];
        var mixed = Options.Loss.MixedRatio;
        var inputs = noised.Noisy.Select((x, l) => mixed is null ? x : x.narrow(0, 0, Rows(mixed, l, batch))).ToArray();
        var outputs = Model.Forward(inputs, timesteps, text?.Embeddings, text?.Mask);
        for (int l = 0; l < outputs.Length; l++)
        {
            long missing = batch - outputs[l].shape[0];
            if (missing > 0)
            {
                var shape = outputs[l].shape.ToArray();
                shape[0] = missing;
                outputs[l] = cat(new[] { outputs[l], zeros(shape, dtype: outputs[l].dtype, device: outputs[l].device) }, 0);
            }
        }
        return outputs;
    }

    private static int Rows(MixedResolutionBatch mixed, int level, long batch)
    {
        int rows = mixed.RowsAtLevel(level, batch);
        if (rows < 1)
            throw new TrainingInputException($"Batch of {batch} gives level {level} no rows under mixed ratio [{string.Join(", ", mixed.Fractions)}]; use a larger batch.");
        return rows;
    }

    private void CheckInputs(Tensor images, TextConditioning? text)
    {
        int resolution = Model.Plan.Resolutions[0];
        if (images.dim() != 4 || images.shape[2] != resolution || images.shape[3] != resolution || images.shape[0] < 1)
            throw new TrainingInputException($"Images must be [B, C, {resolution}, {resolution}]; got [{string.Join(", ", images.shape)}].");
        if (Model.Plan.IsTextConditioned && text is null)
            throw new TrainingInputException("The model is text-conditioned; a TextConditioning is required.");
        if (text is not null && text.Embeddings.shape[0] != images.shape[0] && text.Embeddings.shape[0] != 1)
            throw new TrainingInputException($"Text batch {text.Embeddings.shape[0]} matches neither the image batch {images.shape[0]} nor 1.");
    }

    /// <summary>Frees the optimizer state, the EMA and the generator (not the model).</summary>
    public void Dispose()
    {
        _optimizer.Dispose();
        Ema.Dispose();
        _generator.Dispose();
        _unconditional?.Embeddings.Dispose();
        _unconditional?.Mask.Dispose();
    }
}
