using Matryoshka.Conditioning;
using Matryoshka.Diffusion;
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
    private readonly int[] _frameGrids;
    private readonly Parameter[] _parameters;
    private readonly string[] _parameterNames;
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
        if (options.Loss.VdmWeights && schedule.TrainSteps < 2)
            throw new TrainerOptionsException($"VDM loss weights need a schedule of at least 2 steps; this one has {schedule.TrainSteps}.");
        try { options.Loss.Validate(model.Plan.Resolutions.Count); }
        catch (ArgumentException e) { throw new TrainerOptionsException($"Loss options do not fit the model: {e.Message}"); }

        Model = model;
        Options = options;
        _schedule = schedule;
        _frameGrids = model.Plan.Levels.Select(l => l.FrameGrid).ToArray();
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToArray();
        _parameters = trainable.Select(p => p.parameter).ToArray();
        _parameterNames = trainable.Select(p => p.name).ToArray();
        if (_parameters.Length == 0) throw new TrainerOptionsException("The model has no trainable parameters.");
        _device = _parameters[0].device;
        _dtype = _parameters[0].dtype;
        var scales = _parameterNames.Select(name => name.StartsWith(ModelGrowth.InnerPrefix, StringComparison.Ordinal) ? options.InnerLearningRateScale : 1).ToArray();
        _optimizer = new AdamWOptimizer(_parameters, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay, scales);
        _generator = new Generator(options.Seed);
        Ema = new EmaModel(model, options.EmaDecay);
        if (options.UnconditionalText is { } text)
            _unconditional = new TextConditioning(
                text.Embeddings.to(_device).DetachFromDisposeScope(),
                text.Mask.to(_device).DetachFromDisposeScope());
        if (options.ConditioningDropout > 0 && model.Plan.Config.ClassCount == 0 && options.UnconditionalText is null)
            throw new TrainerOptionsException("ConditioningDropout > 0 needs an UnconditionalText to replace the dropped prompts with (class-conditional models use their learned no-class token instead).");
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
    public double CurrentLearningRate =>
        WarmupSchedule.WithCosineDecay(Options.LearningRate, Options.WarmupSteps, Options.DecaySteps, Options.MinLearningRate, OptimizerSteps + 1);

    /// <summary>The EMA decay the next update will use (below <see cref="TrainerOptions.EmaDecay"/> during EMA warm-up).</summary>
    public double CurrentEmaDecay => Options.EmaWarmup
        ? Math.Min(Options.EmaDecay, 1 - Math.Pow(1 + OptimizerSteps, -Options.EmaWarmupPower))
        : Options.EmaDecay;

    /// <summary>The EMA decay the next update will use for the wrapped level's entries (see <see cref="TrainerOptions.EmaWarmupInner"/>).</summary>
    public double CurrentInnerEmaDecay => Options.EmaWarmupInner ? CurrentEmaDecay : Options.EmaDecay;

    /// <summary>
    /// Trains on one (micro-)batch: draws t, noise and dropout, runs the network and the loss, accumulates the
    /// gradients, and at the end of an accumulation cycle clips, updates the weights and the EMA.
    /// </summary>
    /// <param name="images">Clean images [B, C, R, R] at the model's output resolution, in [−1, 1].</param>
    /// <param name="text">Text conditioning with batch B (or batch 1, shared by every sample) when the model is text-conditioned.</param>
    /// <param name="labels">Class labels [B] (0 … ClassCount − 1) when the model is class-conditional; dropped samples get the no-class token.</param>
    /// <exception cref="TrainingInputException">The batch does not fit the model.</exception>
    public TrainingStepResult Step(Tensor images, TextConditioning? text, Tensor? labels = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckInputs(images, text, labels);
        TrainingStepResult result;
        using (NewDisposeScope()) result = ComputeGradients(images, text, labels);
        if (!result.OptimizerStepped) return result;

        // The update and the EMA use their own scopes; the optimizer's moments and the EMA outlive every step.
        _optimizer.Step(result.LearningRate);
        double emaDecay = CurrentEmaDecay, innerEmaDecay = CurrentInnerEmaDecay;
        OptimizerSteps++;
        Ema.Update(Model, emaDecay, innerEmaDecay);
        return result;
    }

    // Forward, loss, backward and clipping; OptimizerStepped in the result means "an update is due".
    private TrainingStepResult ComputeGradients(Tensor images, TextConditioning? text, Tensor? labels)
    {
        if (_accumulated == 0) _optimizer.ZeroGradients();

        long batch = images.shape[0];
        var x0 = images.to(_dtype).to(_device);
        var timesteps = NoisedBatch.SampleTimesteps(batch, _schedule.TrainSteps, _device, _generator);
        var shapes = _schedule.Resolutions.Select(r => empty(new[] { batch, images.shape[1], r, r }, dtype: _dtype, device: _device)).ToArray();
        var noise = ForwardProcess.SampleNoise(shapes, _generator);
        // Always drawn, whatever the probability, so the random stream (and thus t and noise) does not depend on it.
        var drop = rand(new[] { batch }, dtype: ScalarType.Float64, device: CPU, generator: _generator) < Options.ConditioningDropout;
        var noised = NoisedBatch.Create(x0, _schedule, timesteps, noise, _frameGrids);

        var conditioning = labels is not null
            ? Model.ClassConditioning(where(drop, tensor((long)Model.Plan.Config.ClassCount), labels.to(ScalarType.Int64).cpu()))
            : text is null ? null : Conditioning(text, batch, drop);
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
        // The schedule's ᾱ are float32, so a bfloat16 model's noisy inputs come out float32: hand it its own dtype.
        var inputs = noised.Noisy.Select((x, l) => (mixed is null ? x : x.narrow(0, 0, Rows(mixed, l, batch))).to(_dtype)).ToArray();
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

    private void CheckInputs(Tensor images, TextConditioning? text, Tensor? labels)
    {
        int classes = Model.Plan.Config.ClassCount;
        if (classes > 0)
        {
            if (labels is null || text is not null)
                throw new TrainingInputException($"The model is class-conditional ({classes} classes): pass labels, not text.");
            if (labels.dim() != 1 || labels.shape[0] != images.shape[0])
                throw new TrainingInputException($"Labels must be [{images.shape[0]}]; got [{string.Join(", ", labels.shape)}].");
            if (labels.lt(0).any().item<bool>() || labels.ge(classes).any().item<bool>())
                throw new TrainingInputException($"Labels must be in 0 … {classes - 1}.");
            return;
        }
        if (labels is not null) throw new TrainingInputException("The model is not class-conditional (categorical_conditioning is 0); labels were given.");
        int resolution = Model.Plan.Resolutions[0];
        if (images.dim() != 4 || images.shape[2] != resolution || images.shape[3] != resolution || images.shape[0] < 1)
            throw new TrainingInputException($"Images must be [B, C, {resolution}, {resolution}]; got [{string.Join(", ", images.shape)}].");
        if (Model.Plan.IsTextConditioned && text is null)
            throw new TrainingInputException("The model is text-conditioned; a TextConditioning is required.");
        if (text is not null && text.Embeddings.shape[0] != images.shape[0] && text.Embeddings.shape[0] != 1)
            throw new TrainingInputException($"Text batch {text.Embeddings.shape[0]} matches neither the image batch {images.shape[0]} nor 1.");
    }

    /// <summary>
    /// Everything a resumed run needs besides the data position: the model's and the EMA's weights, the optimizer's
    /// moments, the generator state and the counters. The tensors are the live ones (not copies): write them out
    /// before the next <see cref="Step"/>.
    /// </summary>
    /// <param name="omitFrozen">Leave out the frozen parameters and their averages (which never change: the average of
    /// a constant is that constant), for a compact checkpoint whose owner can put them back, e.g. from the weights the
    /// run started from, before restoring it.</param>
    public TrainerState CaptureState(bool omitFrozen = false)
    {
        var frozen = omitFrozen ? FrozenParameterNames() : [];
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in Model.state_dict()) if (!frozen.Contains(key)) tensors[TrainerState.ModelPrefix + key] = value;
        foreach (var (key, value) in Ema.Weights) if (!frozen.Contains(key)) tensors[TrainerState.EmaPrefix + key] = value;
        for (int i = 0; i < _parameterNames.Length; i++)
        {
            tensors[TrainerState.FirstMomentPrefix + _parameterNames[i]] = _optimizer.FirstMoments[i];
            tensors[TrainerState.SecondMomentPrefix + _parameterNames[i]] = _optimizer.SecondMoments[i];
        }
        tensors[TrainerState.GeneratorKey] = _generator.get_state().DetachFromDisposeScope();
        return new TrainerState(tensors, new TrainerCounters(OptimizerSteps, SkippedSteps, _optimizer.StepCount));
    }

    /// <summary>Puts a state from <see cref="CaptureState"/> (typically read from a checkpoint) back in place.</summary>
    /// <exception cref="TrainingStateException">A tensor is missing, extra or has another shape (checked before anything is copied).</exception>
    /// <exception cref="InvalidOperationException">The trainer is in the middle of a gradient-accumulation cycle.</exception>
    public void RestoreState(IReadOnlyDictionary<string, Tensor> tensors, TrainerCounters counters)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(counters);
        if (_accumulated != 0) throw new InvalidOperationException("Cannot restore a state in the middle of a gradient-accumulation cycle.");
        var live = CaptureState();
        using (live.Tensors[TrainerState.GeneratorKey])
        {
            var missing = live.Tensors.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
            var extra = tensors.Keys.Where(k => !live.Tensors.ContainsKey(k)).ToList();
            if (missing.Count > 0 || extra.Count > 0)
                throw new TrainingStateException($"The saved state does not fit this model and trainer: {missing.Count} tensors missing (e.g. {string.Join(", ", missing.Take(3))}), {extra.Count} unexpected (e.g. {string.Join(", ", extra.Take(3))}).");
            foreach (var (key, target) in live.Tensors)
            {
                if (key == TrainerState.GeneratorKey) continue;
                if (!tensors[key].shape.SequenceEqual(target.shape))
                    throw new TrainingStateException($"Saved tensor '{key}' has shape [{string.Join(", ", tensors[key].shape)}], the model needs [{string.Join(", ", target.shape)}].");
            }
        }
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            foreach (var (key, target) in live.Tensors)
                if (key != TrainerState.GeneratorKey) target.copy_(tensors[key]);
            _generator.set_state(tensors[TrainerState.GeneratorKey].to(ScalarType.Byte).cpu());
        }
        OptimizerSteps = counters.OptimizerSteps;
        SkippedSteps = counters.SkippedSteps;
        _optimizer.StepCount = counters.AdamSteps;
    }

    private HashSet<string> FrozenParameterNames() =>
        Model.named_parameters().Where(p => !p.parameter.requires_grad).Select(p => p.name).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// After growing, starts this trainer's optimizer from <paramref name="smaller"/>'s moments for the parameters
    /// the grown model took over (the smaller model's name with <paramref name="prefix"/>), and its update count.
    /// </summary>
    /// <returns>How many parameters' moments were carried over.</returns>
    public int CarryOptimizerStateFrom(Trainer smaller, string prefix = ModelGrowth.InnerPrefix)
    {
        ArgumentNullException.ThrowIfNull(smaller);
        var index = _parameterNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        int carried = 0;
        using var noGrad = no_grad();
        for (int j = 0; j < smaller._parameterNames.Length; j++)
        {
            if (!index.TryGetValue(prefix + smaller._parameterNames[j], out int i)) continue;
            if (!_parameters[i].shape.SequenceEqual(smaller._parameters[j].shape)) continue;
            _optimizer.FirstMoments[i].copy_(smaller._optimizer.FirstMoments[j]);
            _optimizer.SecondMoments[i].copy_(smaller._optimizer.SecondMoments[j]);
            carried++;
        }
        _optimizer.StepCount = smaller._optimizer.StepCount;
        return carried;
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
