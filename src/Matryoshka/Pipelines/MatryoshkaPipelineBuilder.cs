using Matryoshka.Runtime;
using Matryoshka.Conditioning;
using Matryoshka.Diffusion;
using Matryoshka.Guidance;
using Matryoshka.IO.Weights;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Matryoshka.Pipelines.Pretrained;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Pipelines;

/// <summary>
/// Composes a <see cref="MatryoshkaPipeline"/>: model, schedule, prediction type, sampler, thresholding, guidance,
/// text encoder, pixel convention and device. Settings come in three layers, whatever the order of the calls: an
/// explicit <c>With…</c>/<c>OnDevice</c> call wins; otherwise the model's own settings (its ml-mdm
/// diffusion_config via <see cref="FromMlMdm"/>, its manifest via <see cref="FromPretrained"/>); otherwise the
/// library defaults, which follow ml-mdm's released models (cosine schedule capped at β 0.999 with 1000 steps and
/// shift power 1, v-prediction, DDIM η = 0, clipping, guidance 7.5, 50 steps with ml-mdm's spacing, ml-mdm pixels).
/// Everything is validated in <see cref="Build"/>; the built pipeline is immutable.
/// </summary>
public sealed class MatryoshkaPipelineBuilder
{
    // Either a caller's model (not owned) or a factory for one the pipeline builds and owns.
    private NestedUNet? _model;
    private Func<NestedUNet>? _deferredModel;
    private ModelDefaults _defaults = new();
    private ModelManifest? _manifest;
    private string? _name;

    // Explicit settings: null until a With… call sets them.
    // The per-level schedules depend on the model's resolutions, known only at Build.
    private Func<IReadOnlyList<int>, MultiResolutionSchedule>? _schedule;
    private PredictionType? _prediction;
    private ISampler? _sampler;
    private Thresholding? _thresholding;
    private IGuidance? _guidance;
    private ITextEncoder? _textEncoder;
    private int? _steps;
    private TimestepSpacing _spacing = TimestepSpacing.MatryoshkaStyle;
    private Device? _device;
    private ScalarType _dtype = ScalarType.Float32;
    private bool _allowSlowBFloat16;
    private PixelConvention? _pixels;
    private ILogger _logger = NullLogger.Instance;
    private (ModelConfig Config, string Source)? _plannedModel;

    internal MatryoshkaPipelineBuilder() { }

    /// <summary>Uses an existing model; the caller keeps ownership (the pipeline does not dispose it).</summary>
    public MatryoshkaPipelineBuilder WithModel(NestedUNet model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _deferredModel = null;
        _plannedModel = null;
        return this;
    }

    /// <summary>Builds the model from a config (on the pipeline's device at <see cref="Build"/>) and loads its weights; the pipeline owns it.</summary>
    public MatryoshkaPipelineBuilder WithModel(ModelConfig config, string weightsPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weightsPath);
        _deferredModel = () => LoadModel(config, weightsPath);
        _plannedModel = (config, $"the model config for {weightsPath}");
        _model = null;
        return this;
    }

    /// <summary>
    /// The <c>matryoshka.pipeline</c> tag of the pipeline's metrics (default: the model's manifest name, else empty);
    /// <c>AddMatryoshka</c> sets it to the pipeline's DI name.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or white space.</exception>
    public MatryoshkaPipelineBuilder WithMetricsName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        return this;
    }

    /// <summary>
    /// Refuses, before <see cref="Build"/> allocates it, a model from a config whose float32 weights (the type it is
    /// built in) exceed <paramref name="limitBytes"/> (null: <see cref="TrainingMemory.MachineBytes"/>). Does nothing for
    /// a model given as an instance.
    /// </summary>
    /// <exception cref="ModelMemoryException">The weights would not fit; the message names the config file.</exception>
    internal void CheckModelMemory(long? limitBytes)
    {
        if (_plannedModel is { } planned) ModelMemoryBudget.Check(planned.Config, planned.Source, ScalarType.Float32, limitBytes);
    }

    /// <summary>Frames per clip of the model set so far (1 for an image model), or null when it is not known before building.</summary>
    internal int? FramesPerClip() => _plannedModel is { } planned && planned.Config.Plan().Levels[0].FrameGrid is var grid ? grid * grid : null;

    /// <summary>
    /// Reads an ml-mdm model config (YAML or config.json), takes its diffusion settings (schedule, prediction type,
    /// thresholding, per-level shift or signal rescaling) as the model's defaults, and loads the weights (.safetensors or .pth).
    /// </summary>
    public MatryoshkaPipelineBuilder FromMlMdm(string configPath, string weightsPath, int? textEmbeddingDim = null)
    {
        var config = ModelConfigFiles.Load(configPath, textEmbeddingDim);
        _defaults = DiffusionDefaults(configPath);
        _manifest = null;
        WithModel(config, weightsPath);
        _plannedModel = (config, configPath);
        return this;
    }

    /// <summary>
    /// Uses the model folder's manifest (<c>matryoshka.json</c>, see <see cref="ModelManifest"/>): its config and
    /// weights, its text encoder (found through <see cref="TextEncoders"/>, owned by the pipeline), pixel convention,
    /// sampler, steps, guidance, thresholding and device, all as defaults that explicit calls override.
    /// </summary>
    /// <exception cref="ModelManifestException">The manifest is missing or invalid, or its encoder width does not match the weights.</exception>
    public MatryoshkaPipelineBuilder FromPretrained(string folder)
    {
        var manifest = ModelManifest.Load(folder);
        TextWidthCheck.Verify(manifest);
        var config = ModelConfigFiles.Load(manifest.ConfigPath, manifest.TextEncoder?.Width);
        _defaults = DiffusionDefaults(manifest.ConfigPath) with
        {
            Sampler = manifest.Sampler,
            Steps = manifest.Steps,
            Guidance = manifest.Guidance,
            Pixels = manifest.Pixels,
            Device = manifest.Device,
            TextEncoder = manifest.TextEncoder,
        };
        if (manifest.Thresholding is { } name) _defaults = _defaults with { Thresholding = ThresholdingNames.FromName(name) };
        _manifest = manifest;
        WithModel(config, manifest.WeightsPath);
        _plannedModel = (config, manifest.ConfigPath);
        return this;
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

    /// <summary>The text encoder used for prompts (the caller keeps ownership).</summary>
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

    /// <summary>How the model's values map to pixel bytes; results carry it so that saving them needs no guess.</summary>
    public MatryoshkaPipelineBuilder WithPixels(PixelConvention pixels)
    {
        _pixels = pixels;
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

    /// <summary>
    /// Runs bfloat16 on a CPU where it is slow (<see cref="BFloat16Support"/>) instead of refusing at
    /// <see cref="Build"/>: emulated bf16 can be hundreds of times slower than float32.
    /// </summary>
    public MatryoshkaPipelineBuilder AllowSlowBFloat16()
    {
        _allowSlowBFloat16 = true;
        return this;
    }

    /// <summary>The device by name (<c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>) and dtype.</summary>
    /// <exception cref="MatryoshkaException">The name is not a device.</exception>
    public MatryoshkaPipelineBuilder OnDevice(string device, ScalarType dtype = ScalarType.Float32) => OnDevice(Devices.Parse(device), dtype);

    /// <summary>Validates everything and builds the immutable pipeline.</summary>
    /// <exception cref="MatryoshkaException">A component is missing or inconsistent, or bfloat16 was asked for on a CPU where it is slow; the message says which.</exception>
    public MatryoshkaPipeline Build()
    {
        if (_model is null && _deferredModel is null) throw new MatryoshkaException("The pipeline needs a model: call WithModel, FromMlMdm or FromPretrained.");
        if (_dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16 or ScalarType.Float64))
            throw new MatryoshkaException($"The pipeline dtype must be a floating-point type; got {_dtype}.");
        var device = _device ?? (_defaults.Device is { } name ? Devices.Parse(name) : CPU);
        BFloat16Support.EnsureFastOrAllowed(device, _dtype, _allowSlowBFloat16, "call AllowSlowBFloat16() on the pipeline builder");
        var sampler = _sampler ?? (_defaults.Sampler is { } samplerName ? Samplers.FromName(samplerName) : new DdimSampler(0));
        var guidance = _guidance ?? new ClassifierFreeGuider(new ClassifierFreeGuidanceOptions { Scale = _defaults.Guidance ?? 7.5 });
        int steps = _steps ?? _defaults.Steps ?? 50;
        bool ownsModel = _model is null;
        NestedUNet? model = null;
        ITextEncoder? ownedEncoder = null;
        try
        {
            model = _model ?? _deferredModel!();
            var schedule = (_schedule ?? _defaults.Schedule ?? DefaultSchedule)(model.Plan.Resolutions);
            SamplingTimesteps.Create(schedule.TrainSteps, steps, _spacing);
            var encoder = _textEncoder;
            if (encoder is null && _defaults.TextEncoder is { } spec && model.Plan.IsTextConditioned)
                encoder = ownedEncoder = TextEncoders.Create(spec);
            if (encoder is not null && model.Plan.IsTextConditioned && encoder.EmbeddingDim != model.Plan.Config.TextEmbeddingDim)
                throw new MatryoshkaException($"The text encoder produces width {encoder.EmbeddingDim} but the model expects {model.Plan.Config.TextEmbeddingDim}.");
            if (ownsModel) model.to(device, _dtype);
            var first = model.parameters().First();
            if (first.device.type != device.type || first.device.index != device.index || first.dtype != _dtype)
                throw new MatryoshkaException($"The model is on {first.device} in {first.dtype} but the pipeline runs on {device} in {_dtype}; move the model or call OnDevice accordingly.");
            model.eval();
            var settings = new PipelineSettings(schedule, _prediction ?? _defaults.Prediction ?? PredictionType.VPrediction, sampler,
                _thresholding ?? _defaults.Thresholding ?? Thresholding.Clip, guidance, encoder, steps, _spacing, device, _dtype,
                _pixels ?? _defaults.Pixels ?? PixelConvention.MlMdm, _manifest?.Name, _name);
            return new MatryoshkaPipeline(model, ownsModel, ownedEncoder as IDisposable, settings, _logger);
        }
        catch (Exception e)
        {
            (ownedEncoder as IDisposable)?.Dispose();
            if (ownsModel) model?.Dispose();
            if (e is ArgumentException) throw new MatryoshkaException($"Invalid pipeline settings: {e.Message}", e);
            throw;
        }
    }

    // ml-mdm's released models: cosine schedule capped at β 0.999, 1000 steps, shift power 1.
    private static MultiResolutionSchedule DefaultSchedule(IReadOnlyList<int> resolutions) => new(NoiseSchedules.CosineCapped(1000), resolutions, 1);

    private static NestedUNet LoadModel(ModelConfig config, string weightsPath)
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
    }

    private static ModelDefaults DiffusionDefaults(string configPath)
    {
        var diffusion = MlMdmDiffusionConfig.FromFile(configPath);
        return new ModelDefaults
        {
            Schedule = diffusion.CreateSchedule,
            Prediction = diffusion.Prediction,
            Thresholding = diffusion.Thresholding,
        };
    }
}
