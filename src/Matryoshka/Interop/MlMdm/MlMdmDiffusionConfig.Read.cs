using System.Globalization;
using System.Text.Json.Nodes;
using Matryoshka.Diffusion;
using Matryoshka.IO.Configuration;
using Matryoshka.Sampling;
using Matryoshka.Schedules;

namespace Matryoshka.Interop.MlMdm;

public sealed partial record MlMdmDiffusionConfig
{
    // ml-mdm line numbers below are those of commit de8cde2 (ml-mdm-matryoshka/ml_mdm/…), the fixtures' commit.
    private const string NeverRead = "ml-mdm declares it (diffusion.py:230-248) but never reads it";

    /// <summary>Reads the diffusion settings from a config tree.</summary>
    public static MlMdmDiffusionConfig FromJson(JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var top = new ConfigNode(root, "");
        var diffusion = top.Child("diffusion_config") ?? throw new ModelConfigurationException("diffusion_config", "is missing");
        var sampler = diffusion.Child("sampler_config") ?? throw new ModelConfigurationException("diffusion_config.sampler_config", "is missing");
        bool single = IsSingleUNet(top);
        var inert = new List<MlMdmInertOption>();

        var prediction = ReadPrediction(sampler, "prediction_type") ?? PredictionType.Epsilon;
        bool shifted = sampler.Bool("schedule_shifted") ?? false;
        ReadRescaleSchedule(sampler, inert);
        ReadResidual(diffusion, single, inert);
        if (!single && diffusion.Double("model_output_scale") is double scale && scale != 0)
            inert.Add(new(diffusion.FieldPath("model_output_scale"), scale.ToString(CultureInfo.InvariantCulture),
                "only ml-mdm's single-UNet pipeline applies it (diffusion.py:85-86); NestedModel.forward never does (diffusion.py:252-292)"));
        foreach (var flag in new[] { "use_random_interp", "random_downsample", "average_downsample", "mid_downsample" })
            if (diffusion.Bool(flag) == true) inert.Add(new(diffusion.FieldPath(flag), "true", NeverRead));
        if (sampler.Bool("reproject_signal") == true)
            inert.Add(new(sampler.FieldPath("reproject_signal"), "true", "ml-mdm declares it (samplers.py:72) but never reads it"));

        var thresholding = ReadThresholding(sampler);
        ReadRescaleSignal(sampler, single, thresholding, inert);

        var weightsText = diffusion.String("multi_res_weights") ?? top.String("multi_res_weights");
        var mixedText = diffusion.String("mixed_ratio") ?? top.String("mixed_ratio");
        return new MlMdmDiffusionConfig
        {
            Schedule = ReadSchedule(sampler),
            TrainSteps = sampler.Int("num_diffusion_steps") ?? 32,
            BetaRange = (sampler.Double("beta_start") ?? 1e-4, sampler.Double("beta_end") ?? 0.02),
            Prediction = prediction,
            Thresholding = thresholding,
            ScheduleShifted = shifted,
            ShiftPower = shifted ? sampler.Double("schedule_shifted_power") ?? 1 : 0,
            SingleUNet = single,
            RescaleSignal = sampler.Double("rescale_signal"),
            ModelOutputScale = diffusion.Double("model_output_scale") ?? 0,
            InertOptions = inert,
            Loss = new MultiResolutionLossOptions
            {
                ModelPrediction = prediction,
                LossTarget = ReadPrediction(sampler, "loss_target_type") ?? prediction,
                LossOnAllLevels = diffusion.Bool("use_double_loss") ?? false,
                LevelWeights = weightsText is null ? null : Parse(() => MultiResolutionLossOptions.ParseLevelWeights(weightsText), "multi_res_weights"),
                MixedRatio = mixedText is null ? null : Parse(() => MixedResolutionBatch.Parse(mixedText), "mixed_ratio"),
                // ml-mdm's DiffusionConfig defaults this to true (diffusion.py:42-43); its released configs set false.
                VdmWeights = diffusion.Bool("use_vdm_loss_weights") ?? true,
                TargetsUseUnscaledSignal = single,
            },
        };
    }

    // ml-mdm picks the pipeline from the model: "unet" is Diffusion/Sampler, every nested model NestedDiffusion/NestedSampler.
    // A tree without the model (a bare diffusion_config) is read as nested, the pipeline of every multi-level model.
    private static bool IsSingleUNet(ConfigNode top)
    {
        if (top.Child("unet_config") is { } unet) return unet.Child("inner_config") is null;
        return top.String("model") == "unet";
    }

    // samplers.py:219-221 shifts the base schedule by rescale_schedule, but only above 1 (line 258), and that path reads
    // self._config (line 259) before Sampler.__init__ has set it (called at line 183, set at line 190).
    private static void ReadRescaleSchedule(ConfigNode sampler, List<MlMdmInertOption> inert)
    {
        if (sampler.Double("rescale_schedule") is not double value || value == 1) return;
        if (value > 1)
            throw sampler.Invalid("rescale_schedule", FormattableString.Invariant($"{value}") +
                " cannot run in ml-mdm: Sampler.__init__ builds its schedule (samplers.py:183) before it sets self._config (samplers.py:190), " +
                "and get_schedule_shifted reads self._config.schedule_shifted_power for any rescale_schedule above 1 (samplers.py:259), " +
                "an AttributeError before the first step. Set rescale_schedule: 1 (to lower a single UNet's SNR k-fold, rescale_signal: √k " +
                "divides the image instead)");
        inert.Add(new(sampler.FieldPath("rescale_schedule"), value.ToString(CultureInfo.InvariantCulture),
            "ml-mdm shifts the schedule only for values above 1 (samplers.py:258)"));
    }

    // The single-UNet Sampler divides the image by rescale_signal only when it is truthy (samplers.py:251), but its
    // sampling step always divides the thresholded x₀ by it (samplers.py:426 → 503-507): 0 gives NaN there, except with
    // NONE, which never divides. The nested pipeline never reads it.
    private static void ReadRescaleSignal(ConfigNode sampler, bool single, Thresholding thresholding, List<MlMdmInertOption> inert)
    {
        if (sampler.Double("rescale_signal") is not double value || value == 1) return;
        string text = value.ToString(CultureInfo.InvariantCulture);
        if (!single)
            inert.Add(new(sampler.FieldPath("rescale_signal"), text,
                "ml-mdm's nested pipeline never reads it (NestedSampler passes each level's own scale, samplers.py:630, 644, 702, 727)"));
        else if (value == 0 && thresholding.Kind != ThresholdingKind.None)
            throw sampler.Invalid("rescale_signal",
                "0 cannot sample in ml-mdm: training skips a zero factor (samplers.py:251), but every sampling step thresholds x₀·0 and divides it " +
                "by 0 (samplers.py:426, 503-507), so every sample is NaN. Remove rescale_signal (or set 1) for no rescaling");
        else if (value == 0)
            inert.Add(new(sampler.FieldPath("rescale_signal"), text, "ml-mdm skips a zero factor (samplers.py:251, 592) and NONE never divides by it"));
    }

    // diffusion.py:227-228 defaults no_use_residual to false, which selects NestedModel's residual path (lines 277-291).
    private static void ReadResidual(ConfigNode diffusion, bool single, List<MlMdmInertOption> inert)
    {
        if (diffusion.Bool("no_use_residual") != false) return;
        if (single)
        {
            inert.Add(new(diffusion.FieldPath("no_use_residual"), "false", "the single-UNet pipeline has no residual path (only NestedModel reads it, diffusion.py:277)"));
            return;
        }
        throw diffusion.Invalid("no_use_residual",
            "false selects ml-mdm's residual low-resolution path, which cannot run there: NestedModel.forward, used by both training and " +
            "sampling, upsamples with an undefined name 'ratio' (diffusion.py:288, a NameError on the first call) and passes step indices " +
            "where ᾱ is expected (diffusion.py:283, 290). Set no_use_residual: true, as ml-mdm's released configs do");
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
}
