using Matryoshka.Diffusion;
using Matryoshka.IO.Configuration;
using Matryoshka.Models;
using Matryoshka.Sampling;
using Matryoshka.Schedules;

namespace Matryoshka.Interop.MlMdm;

/// <summary>
/// ml-mdm's <c>diffusion_config</c> (<c>DiffusionConfig</c> or <c>NestedDiffusionConfig</c> with its
/// <c>sampler_config</c>), mapped to Matryoshka's types: schedule, prediction and loss target, thresholding, per-level
/// shift or signal rescaling, loss options. <c>mixed_ratio</c> and <c>multi_res_weights</c> are also read from the
/// config's top level, where ml-mdm's released configs put them and its parser ignores them; here they take effect.
/// Every option ml-mdm can run is read with its meaning there; the two it cannot run (<c>no_use_residual: false</c>
/// on a nested model, <c>rescale_schedule</c> above 1) are refused with the reason. See docs/models.md.
/// </summary>
public sealed partial record MlMdmDiffusionConfig
{
    /// <summary>Base schedule family (<c>schedule_type</c>).</summary>
    public ScheduleKind Schedule { get; init; }

    /// <summary>N (<c>num_diffusion_steps</c>).</summary>
    public int TrainSteps { get; init; }

    /// <summary>β range of the linear schedule (<c>beta_start</c>, <c>beta_end</c>).</summary>
    public (double Start, double End) BetaRange { get; init; }

    /// <summary>What the network predicts (<c>prediction_type</c>).</summary>
    public PredictionType Prediction { get; init; }

    /// <summary>x₀ handling while sampling (<c>threshold_function</c>).</summary>
    public Thresholding Thresholding { get; init; } = Thresholding.Clip;

    /// <summary>Whether higher levels shift their schedule (<c>schedule_shifted</c>); a nested model that does not rescales their signal instead.</summary>
    public bool ScheduleShifted { get; init; }

    /// <summary>The per-level SNR shift power (<c>schedule_shifted_power</c>); 0 when <c>schedule_shifted</c> is false.</summary>
    public double ShiftPower { get; init; }

    /// <summary>Loss target, level weights, multi-level loss, mixed batches and VDM weights.</summary>
    public MultiResolutionLossOptions Loss { get; init; } = new();

    /// <summary>
    /// Whether the config is ml-mdm's single-UNet pipeline (<c>model: unet</c>: <c>Diffusion</c> with <c>Sampler</c>)
    /// rather than a nested one (<c>NestedDiffusion</c> with <c>NestedSampler</c>); some options mean different things
    /// in the two.
    /// </summary>
    public bool SingleUNet { get; init; }

    /// <summary>
    /// <c>rescale_signal</c> (null when absent). ml-mdm's single-UNet pipeline divides the clean image by it; its nested
    /// pipeline never reads it.
    /// </summary>
    public double? RescaleSignal { get; init; }

    /// <summary>
    /// <c>model_output_scale</c>: ml-mdm's single-UNet pipeline bounds the network output to s·tanh(out/s) when it is not
    /// 0 (<see cref="ModelConfig.OutputScale"/>, which <see cref="MlMdmModelConfig"/> sets); its nested pipeline never applies it.
    /// </summary>
    public double ModelOutputScale { get; init; }

    /// <summary>Options the config sets that change nothing, in ml-mdm as here, with the reason.</summary>
    public IReadOnlyList<MlMdmInertOption> InertOptions { get; init; } = [];

    /// <summary>The base schedule.</summary>
    public NoiseSchedule CreateBaseSchedule() => NoiseSchedules.Create(Schedule, TrainSteps, BetaRange.Start, BetaRange.End);

    /// <summary>
    /// The per-level schedules for a model with these level resolutions (high → low), as ml-mdm's pipelines form them.
    /// A single UNet divides its image by <c>rescale_signal</c> when that is set and not 0 (samplers.py:248-253). A nested
    /// model shifts each level's schedule with <c>schedule_shifted</c>, and otherwise divides each level's image by its
    /// scale (samplers.py:625-653, 702); it never reads <c>rescale_signal</c>.
    /// </summary>
    public MultiResolutionSchedule CreateSchedule(IReadOnlyList<int> resolutions)
    {
        ArgumentNullException.ThrowIfNull(resolutions);
        var baseSchedule = CreateBaseSchedule();
        if (SingleUNet) return new(baseSchedule, resolutions, ShiftPower, resolutions.Select(_ => RescaleSignal is double c and not 0 ? c : 1).ToArray());
        return ScheduleShifted ? new(baseSchedule, resolutions, ShiftPower) : MultiResolutionSchedule.WithRescaledSignal(baseSchedule, resolutions);
    }

    /// <summary>Reads the diffusion settings of an ml-mdm config file (.json or .yaml).</summary>
    /// <exception cref="ModelConfigurationException">The file is unreadable or a field is invalid or unsupported.</exception>
    public static MlMdmDiffusionConfig FromFile(string path) => FromJson(ReadRoot(path));

    /// <summary>Reads the diffusion settings of an ml-mdm config file, or returns null when it has no <c>diffusion_config</c>.</summary>
    /// <exception cref="ModelConfigurationException">The file is unreadable or a field is invalid or unsupported.</exception>
    public static MlMdmDiffusionConfig? FromFileIfPresent(string path)
    {
        var root = ReadRoot(path);
        return root.ContainsKey("diffusion_config") ? FromJson(root) : null;
    }

    private static System.Text.Json.Nodes.JsonObject ReadRoot(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new ModelConfigurationException(path, "file not found");
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => ConfigFiles.ReadJson(path),
            ".yaml" or ".yml" => ConfigFiles.ReadYaml(path),
            var other => throw new ModelConfigurationException(path, $"unsupported config file type '{other}' (expected .json, .yaml or .yml)"),
        };
    }
}

/// <summary>A config option that has no effect, in ml-mdm as in Matryoshka.</summary>
/// <param name="Field">The option's path, e.g. <c>diffusion_config.use_random_interp</c>.</param>
/// <param name="Value">Its value as written.</param>
/// <param name="Reason">Why it changes nothing (with the ml-mdm source lines).</param>
public sealed record MlMdmInertOption(string Field, string Value, string Reason);
