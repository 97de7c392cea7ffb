using System.Text.Json.Nodes;
using Matryoshka.Diffusion;
using Matryoshka.Sampling;
using Matryoshka.Schedules;

namespace Matryoshka.Models.MlMdm;

/// <summary>
/// ml-mdm's <c>diffusion_config</c> (<c>NestedDiffusionConfig</c> with its <c>sampler_config</c>), mapped to
/// Matryoshka's types: schedule, prediction and loss target, thresholding, per-level shift, loss options.
/// <c>mixed_ratio</c> and <c>multi_res_weights</c> are also read from the config's top level, where ml-mdm's released
/// configs put them and its parser ignores them; here they take effect. Options ml-mdm has but Matryoshka does
/// not implement (VDM loss weights, output scaling, the broken residual path, signal rescaling instead of the shift)
/// are refused rather than ignored.
/// </summary>
public sealed record MlMdmDiffusionConfig
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

    /// <summary>The per-level SNR shift power (<c>schedule_shifted_power</c>); 0 when <c>schedule_shifted</c> is false.</summary>
    public double ShiftPower { get; init; }

    /// <summary>Loss target, level weights, multi-level loss and mixed batches.</summary>
    public MultiResolutionLossOptions Loss { get; init; } = new();

    /// <summary>The base schedule.</summary>
    public NoiseSchedule CreateBaseSchedule() => NoiseSchedules.Create(Schedule, TrainSteps, BetaRange.Start, BetaRange.End);

    /// <summary>The per-level schedules for a model with these level resolutions (high → low).</summary>
    public MultiResolutionSchedule CreateSchedule(IReadOnlyList<int> resolutions) => new(CreateBaseSchedule(), resolutions, ShiftPower);

    /// <summary>Reads the diffusion settings of an ml-mdm config file (.json or .yaml).</summary>
    /// <exception cref="ModelConfigurationException">The file is unreadable or a field is invalid or unsupported.</exception>
    public static MlMdmDiffusionConfig FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new ModelConfigurationException(path, "file not found");
        var root = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => MlMdmModelConfig.ReadJsonObject(path),
            ".yaml" or ".yml" => MlMdmModelConfig.ReadYamlObject(path),
            var other => throw new ModelConfigurationException(path, $"unsupported config file type '{other}' (expected .json, .yaml or .yml)"),
        };
        return FromJson(root);
    }

    /// <summary>Reads the diffusion settings from a config tree.</summary>
    public static MlMdmDiffusionConfig FromJson(JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var top = new ConfigNode(root, "");
        var diffusion = top.Child("diffusion_config") ?? throw new ModelConfigurationException("diffusion_config", "is missing");
        var sampler = diffusion.Child("sampler_config") ?? throw new ModelConfigurationException("diffusion_config.sampler_config", "is missing");

        var prediction = ReadPrediction(sampler, "prediction_type") ?? PredictionType.Epsilon;
        bool shifted = sampler.Bool("schedule_shifted") ?? false;
        RefuseUnless(sampler, "rescale_schedule", sampler.Double("rescale_schedule") is null or 1.0, "only 1.0 (no global shift) is supported");
        RefuseUnless(diffusion, "model_output_scale", diffusion.Double("model_output_scale") is null or 0.0, "output scaling (tanh) is not supported; use 0");
        RefuseUnless(diffusion, "no_use_residual", diffusion.Bool("no_use_residual") != false, "the residual low-resolution path is broken in ml-mdm and not supported; use true");
        foreach (var flag in new[] { "use_random_interp", "random_downsample", "average_downsample", "mid_downsample" })
            RefuseUnless(diffusion, flag, diffusion.Bool(flag) != true, "is not supported");
        if (!shifted && sampler.Double("rescale_signal") is double signal && signal > 1)
            throw sampler.Invalid("rescale_signal", "rescaling the signal instead of shifting the schedule (schedule_shifted: false) is not supported");

        var weightsText = diffusion.String("multi_res_weights") ?? top.String("multi_res_weights");
        var mixedText = diffusion.String("mixed_ratio") ?? top.String("mixed_ratio");
        return new MlMdmDiffusionConfig
        {
            Schedule = ReadSchedule(sampler),
            TrainSteps = sampler.Int("num_diffusion_steps") ?? 32,
            BetaRange = (sampler.Double("beta_start") ?? 1e-4, sampler.Double("beta_end") ?? 0.02),
            Prediction = prediction,
            Thresholding = ReadThresholding(sampler),
            ShiftPower = shifted ? sampler.Double("schedule_shifted_power") ?? 1 : 0,
            Loss = new MultiResolutionLossOptions
            {
                ModelPrediction = prediction,
                LossTarget = ReadPrediction(sampler, "loss_target_type") ?? prediction,
                LossOnAllLevels = diffusion.Bool("use_double_loss") ?? false,
                LevelWeights = weightsText is null ? null : Parse(() => MultiResolutionLossOptions.ParseLevelWeights(weightsText), "multi_res_weights"),
                MixedRatio = mixedText is null ? null : Parse(() => MixedResolutionBatch.Parse(mixedText), "mixed_ratio"),
                // ml-mdm's DiffusionConfig defaults this to true (diffusion.py:42-43); its released configs set false.
                VdmWeights = diffusion.Bool("use_vdm_loss_weights") ?? true,
            },
        };
    }

    private static ScheduleKind ReadSchedule(ConfigNode sampler) => (sampler.String("schedule_type") ?? "DDPM").ToUpperInvariant() switch
    {
        "DEEPFLOYD" => ScheduleKind.SquaredCosCapV2,
        "COSINE" => ScheduleKind.CosineLogSnr,
        "DDPM" => ScheduleKind.Linear,
        var other => throw sampler.Invalid("schedule_type", $"'{other}' is not supported (DEEPFLOYD, COSINE or DDPM)"),
    };

    private static PredictionType? ReadPrediction(ConfigNode sampler, string key) => sampler.String(key)?.ToUpperInvariant() switch
    {
        null => null,
        "DDPM" or "DDIM" => PredictionType.Epsilon,
        "V_PREDICTION" => PredictionType.VPrediction,
        var other => throw sampler.Invalid(key, $"'{other}' is not an ml-mdm prediction type (DDPM, DDIM or V_PREDICTION)"),
    };

    private static Thresholding ReadThresholding(ConfigNode sampler) => (sampler.String("threshold_function") ?? "CLIP").ToUpperInvariant() switch
    {
        "NONE" => Thresholding.None,
        "CLIP" => Thresholding.Clip,
        "DYNAMIC" => Thresholding.Dynamic,
        "DYNAMIC_IF" => Thresholding.DeepFloyd,
        var other => throw sampler.Invalid("threshold_function", $"'{other}' is not supported (NONE, CLIP, DYNAMIC or DYNAMIC_IF)"),
    };

    private static T Parse<T>(Func<T> parse, string field)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ModelConfigurationException(field, e.Message);
        }
    }

    private static void RefuseUnless(ConfigNode node, string key, bool ok, string problem)
    {
        if (!ok) throw node.Invalid(key, problem);
    }
}
