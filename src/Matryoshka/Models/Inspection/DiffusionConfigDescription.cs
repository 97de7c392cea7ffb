using System.Globalization;
using System.Text.Json;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Schedules;

namespace Matryoshka.Models.Inspection;

/// <summary>
/// What an inspection says about a model config's <c>diffusion_config</c>: schedule, per-level shift or signal
/// rescaling, the training-only options, the output bound, and every option that has no effect (as text or JSON).
/// </summary>
internal static class DiffusionConfigDescription
{
    internal static void Write(MlMdmDiffusionConfig diffusion, ModelPlan plan, TextWriter output)
    {
        var schedule = diffusion.CreateSchedule(plan.Resolutions);
        var loss = diffusion.Loss;
        output.WriteLine($"diffusion_config (ml-mdm {(diffusion.SingleUNet ? "single-UNet" : "nested")} pipeline):");
        output.WriteLine($"  schedule: {Name(diffusion.Schedule)}, {diffusion.TrainSteps} steps; predicts {Name(diffusion.Prediction)}; " +
                         $"loss target {Name(loss.LossTarget)}; thresholding {diffusion.Thresholding.Kind.ToString().ToLowerInvariant()}");
        for (int l = 0; l < schedule.LevelCount; l++)
            output.WriteLine($"  level {l} ({schedule.Resolutions[l]}²): {LevelNoise(schedule, l)}");
        output.WriteLine($"  training only: {(loss.LossOnAllLevels ? "loss on every level" : "loss on level 0 only")}, " +
                         $"level weights {(loss.LevelWeights is { } w ? string.Join(":", w.Select(Number)) : "all 1")}, " +
                         $"mixed ratio {(loss.MixedRatio is { } m ? string.Join(", ", m.Fractions.Select(Number)) : "none")}, " +
                         $"VDM loss weights {(loss.VdmWeights ? "on" : "off")}");
        output.WriteLine($"  model_output_scale: {Number(diffusion.ModelOutputScale)} " +
                         (plan.Config.OutputScale != 0 ? $"(outputs bounded to s·tanh(out/s), s = {Number(plan.Config.OutputScale)})" : "(outputs as computed)"));
        foreach (var option in diffusion.InertOptions)
            output.WriteLine($"  no effect: {option.Field} = {option.Value} ({option.Reason})");
    }

    internal static void WriteJson(Utf8JsonWriter json, MlMdmDiffusionConfig? diffusion, ModelPlan plan)
    {
        if (diffusion is null)
        {
            json.WriteNull("diffusion");
            return;
        }
        var schedule = diffusion.CreateSchedule(plan.Resolutions);
        var loss = diffusion.Loss;
        json.WriteStartObject("diffusion");
        json.WriteString("pipeline", diffusion.SingleUNet ? "single_unet" : "nested");
        json.WriteString("schedule", Name(diffusion.Schedule));
        json.WriteNumber("train_steps", diffusion.TrainSteps);
        json.WriteString("prediction", Name(diffusion.Prediction));
        json.WriteString("loss_target", Name(loss.LossTarget));
        json.WriteString("thresholding", diffusion.Thresholding.Kind.ToString().ToLowerInvariant());
        json.WriteBoolean("schedule_shifted", diffusion.ScheduleShifted);
        json.WriteNumber("shift_power", schedule.ShiftPower);
        Numbers(json, "signal_scales", schedule.SignalScales);
        json.WriteBoolean("use_double_loss", loss.LossOnAllLevels);
        if (loss.LevelWeights is { } weights) Numbers(json, "multi_res_weights", weights);
        else json.WriteNull("multi_res_weights");
        if (loss.MixedRatio is { } mixed) Numbers(json, "mixed_ratio", mixed.Fractions);
        else json.WriteNull("mixed_ratio");
        json.WriteBoolean("use_vdm_loss_weights", loss.VdmWeights);
        json.WriteNumber("model_output_scale", diffusion.ModelOutputScale);
        json.WriteNumber("output_scale_applied", plan.Config.OutputScale);
        json.WriteStartArray("inert_options");
        foreach (var option in diffusion.InertOptions)
        {
            json.WriteStartObject();
            json.WriteString("field", option.Field);
            json.WriteString("value", option.Value);
            json.WriteString("reason", option.Reason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string LevelNoise(MultiResolutionSchedule schedule, int level)
    {
        double scale = schedule.Scales[level], signal = schedule.SignalScales[level];
        var parts = new List<string>();
        if (scale > 1 && schedule.ShiftPower > 0)
            parts.Add($"SNR ÷ {Number(Math.Pow(scale, schedule.ShiftPower))} (schedule shifted, power {Number(schedule.ShiftPower)})");
        if (signal != 1) parts.Add($"image ÷ {Number(signal)} (signal rescaled: SNR ÷ {Number(signal * signal)})");
        return parts.Count == 0 ? "base schedule" : string.Join("; ", parts);
    }

    private static void Numbers(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (double value in values) json.WriteNumberValue(value);
        json.WriteEndArray();
    }

    private static string Name<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value).Trim('"');

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
