using Matryoshka.Conditioning;
using Matryoshka.Diffusion;
using Matryoshka.Guidance;
using Matryoshka.Models;
using Matryoshka.Models.MlMdm;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Pipelines;

/// <summary>
/// Composes a <see cref="MatryoshkaPipeline"/>: model, schedule, prediction type, sampler, thresholding, guidance,
/// text encoder and device. Defaults follow ml-mdm's released models (cosine schedule capped at β 0.999 with 1000
/// steps and shift power 1, v-prediction, DDIM η = 0, clipping, guidance 7.5, 50 steps with ml-mdm's spacing).
/// Everything is validated in <see cref="Build"/>; the built pipeline is immutable.
/// </summary>
public sealed class MatryoshkaPipelineBuilder
{
    // Either a caller's model (not owned) or a factory for one the pipeline builds and owns.
    private NestedUNet? _model;
    private Func<NestedUNet>? _deferredModel;
    // The per-level schedules depend on the model's resolutions, known only at Build.
    private Func<IReadOnlyList<int>, MultiResolutionSchedule> _schedule = resolutions => new(NoiseSchedules.CosineCapped(1000), resolutions, 1);
    private PredictionType _prediction = PredictionType.VPrediction;
    private ISampler _sampler = new DdimSampler(0);
    private Thresholding _thresholding = Thresholding.Clip;
    private IGuidance _guidance = new ClassifierFreeGuider(new ClassifierFreeGuidanceOptions());
    private ITextEncoder? _textEncoder;
    private int _steps = 50;
    private TimestepSpacing _spacing = TimestepSpacing.MatryoshkaStyle;
    private Device _device = CPU;
    private ILogger _logger = NullLogger.Instance;
    private ScalarType _dtype = ScalarType.Float32;

    internal MatryoshkaPipelineBuilder() { }

    /// <summary>Uses an existing model; the caller keeps ownership (the pipeline does not dispose it).</summary>
    public MatryoshkaPipelineBuilder WithModel(NestedUNet model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _deferredModel = null;
        return this;
    }

    /// <summary>Builds the model from a config (on the pipeline's device at <see cref="Build"/>) and loads its weights; the pipeline owns it.</summary>
    public MatryoshkaPipelineBuilder WithModel(ModelConfig config, string weightsPath) =>
        WithDeferredModel(() =>
        {
            var model = new NestedUNet(config, CPU, ScalarType.Float32);
            try
            {
                ModelWeights.Load(model, weightsPath);
                return model;
            }
            catch
            {
                model.Dispose();
                throw;
            }
        });

    /// <summary>
    /// Reads an ml-mdm model config (YAML or config.json), its diffusion settings (schedule, prediction type,
    /// thresholding, per-level shift or signal rescaling) and loads the weights (.safetensors or .pth).
    /// </summary>
    public MatryoshkaPipelineBuilder FromMlMdm(string configPath, string weightsPath, int? textEmbeddingDim = null)
    {
        var config = ModelConfigFiles.Load(configPath, textEmbeddingDim);
        var diffusion = MlMdmDiffusionConfig.FromFile(configPath);
        _schedule = diffusion.CreateSchedule;
        _prediction = diffusion.Prediction;
        _thresholding = diffusion.Thresholding;
        return WithModel(config, weightsPath);
    }

    /// <summary>The base (lowest-level) schedule and the per-level shift power.</summary>
    public MatryoshkaPipelineBuilder WithSchedule(NoiseSchedule baseSchedule, double shiftPower = 1)
    {
        ArgumentNullException.ThrowIfNull(baseSchedule);
        _schedule = resolutions => new MultiResolutionSchedule(baseSchedule, resolutions, shiftPower);
        return this;
    }

    /// <summary>What the model predicts.</summary>
    public MatryoshkaPipelineBuilder WithPrediction(PredictionType prediction)
    {
        _prediction = prediction;
        return this;
    }

    /// <summary>The sampling algorithm.</summary>
    public MatryoshkaPipelineBuilder WithSampler(ISampler sampler)
    {
        _sampler = sampler ?? throw new ArgumentNullException(nameof(sampler));
        return this;
    }

    /// <summary>x₀ thresholding while sampling.</summary>
    public MatryoshkaPipelineBuilder WithThresholding(Thresholding thresholding)
    {
        _thresholding = thresholding ?? throw new ArgumentNullException(nameof(thresholding));
        return this;
    }

    /// <summary>Classifier-free guidance settings (a request may override the scale).</summary>
    public MatryoshkaPipelineBuilder WithGuidance(ClassifierFreeGuidanceOptions options) =>
        WithGuidance(new ClassifierFreeGuider(options ?? throw new ArgumentNullException(nameof(options))));

    /// <summary>Any guidance method.</summary>
    public MatryoshkaPipelineBuilder WithGuidance(IGuidance guidance)
    {
        _guidance = guidance ?? throw new ArgumentNullException(nameof(guidance));
        return this;
    }

    /// <summary>The text encoder used for prompts.</summary>
    public MatryoshkaPipelineBuilder WithTextEncoder(ITextEncoder encoder)
    {
        _textEncoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        return this;
    }

    /// <summary>Default number of steps and how they are spaced.</summary>
    public MatryoshkaPipelineBuilder WithSteps(int steps, TimestepSpacing spacing = TimestepSpacing.MatryoshkaStyle)
    {
        _steps = steps;
        _spacing = spacing;
        return this;
    }

    /// <summary>Where the pipeline logs each generation (start at Debug, completion at Information).</summary>
    public MatryoshkaPipelineBuilder WithLogger(ILogger logger)
    {
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        return this;
    }

    /// <summary>The device and dtype generation runs in (noise is always drawn on the CPU, then moved).</summary>
    public MatryoshkaPipelineBuilder OnDevice(Device device, ScalarType dtype = ScalarType.Float32)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _dtype = dtype;
        return this;
    }

    private MatryoshkaPipelineBuilder WithDeferredModel(Func<NestedUNet> create)
    {
        _deferredModel = create;
        _model = null;
        return this;
    }

    /// <summary>Validates everything and builds the immutable pipeline.</summary>
    /// <exception cref="MatryoshkaException">A component is missing or inconsistent; the message says which.</exception>
    public MatryoshkaPipeline Build()
    {
        if (_model is null && _deferredModel is null) throw new MatryoshkaException("The pipeline needs a model: call WithModel or FromMlMdm.");
        if (_dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16 or ScalarType.Float64))
            throw new MatryoshkaException($"The pipeline dtype must be a floating-point type; got {_dtype}.");
        bool owns = _model is null;
        var model = _model ?? _deferredModel!();
        try
        {
            var schedule = _schedule(model.Plan.Resolutions);
            SamplingTimesteps.Create(schedule.TrainSteps, _steps, _spacing);
            if (_textEncoder is not null && model.Plan.IsTextConditioned && _textEncoder.EmbeddingDim != model.Plan.Config.TextEmbeddingDim)
                throw new MatryoshkaException($"The text encoder produces width {_textEncoder.EmbeddingDim} but the model expects {model.Plan.Config.TextEmbeddingDim}.");
            if (owns) model.to(_device, _dtype);
            var first = model.parameters().First();
            if (first.device.type != _device.type || first.device.index != _device.index || first.dtype != _dtype)
                throw new MatryoshkaException($"The model is on {first.device} in {first.dtype} but the pipeline runs on {_device} in {_dtype}; move the model or call OnDevice accordingly.");
            model.eval();
            return new MatryoshkaPipeline(model, owns, schedule, _prediction, _sampler, _thresholding, _guidance, _textEncoder, _steps, _spacing, _device, _dtype, _logger);
        }
        catch (ArgumentException e)
        {
            if (owns) model.Dispose();
            throw new MatryoshkaException($"Invalid pipeline settings: {e.Message}", e);
        }
        catch
        {
            if (owns) model.Dispose();
            throw;
        }
    }
}
