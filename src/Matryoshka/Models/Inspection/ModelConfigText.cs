using System.Globalization;
using Matryoshka.Conditioning.T5;
using static TorchSharp.torch;

namespace Matryoshka.Models.Inspection;

/// <summary>A model config as text (what <c>matryoshka inspect</c> prints): one row per level, the forward FLOPs per level, then the totals.</summary>
internal static class ModelConfigText
{
    internal static void Write(string path, ModelSummary summary, ModelFlops flops, TextWriter output)
    {
        var plan = summary.Plan;
        output.WriteLine($"{path}: ml-mdm model config, {plan.Levels.Count} level{(plan.Levels.Count == 1 ? "" : "s")} " +
                         $"({string.Join(" → ", plan.Resolutions.Select(r => $"{r}²"))})");
        output.WriteLine(plan.IsTextConditioned
            ? $"text conditioning: width {plan.Config.TextEmbeddingDim}"
            : "text conditioning: none — the config leaves the text width to run time (conditioning_feature_dim -1), so these counts are " +
              "for an unconditioned model; pass --text-dim N (2048 for flan-t5-xl, as ml-mdm's released models use)");
        output.WriteLine();

        string[] header = ["level", "resolution", "channels", "resnets", "attention", "temporal", "text", "cond_emb", "lm_proj", "normalised", "parameters", "tensors"];
        WriteTable(output, header, summary.Levels.Select(Row), [false, true, false, false, false, true, true, false, false, false, true, true]);
        output.WriteLine();
        output.WriteLine("channels: per internal resolution, highest first; attention: internal resolution:blocks after each ResNet; " +
                         "parameters and tensors: of the level alone, without the level nested inside it.");
        foreach (var level in plan.Levels.Where(l => l.IsTemporal))
        {
            var frames = Enumerable.Range(0, level.Config.ResolutionCount).Select(i => ((long)level.FrameGrid * level.FrameGrid >> i).ToString(CultureInfo.InvariantCulture));
            output.WriteLine($"level {level.Index} is video: a {level.FrameGrid} × {level.FrameGrid} grid of {level.FrameGrid * level.FrameGrid} frames of {level.FrameResolution}², " +
                             $"frames per internal resolution {string.Join(" → ", frames)}, temporal attention blocks " +
                             $"{string.Join(",", Enumerable.Range(0, level.Config.ResolutionCount).Select(level.TemporalAttentionLayers))}");
        }
        output.WriteLine();

        output.WriteLine($"total: {Count(summary.TotalParameters)} parameters in {Count(summary.Tensors.Count)} state_dict tensors");
        output.WriteLine($"weights: {Size(summary.WeightBytes(ScalarType.Float32))} as float32, {Size(summary.WeightBytes(ScalarType.BFloat16))} as bfloat16");
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (summary.WeightBytes(ScalarType.BFloat16) > memory)
            output.WriteLine($"warning: even the bfloat16 weights exceed this machine's memory ({Size(memory)}); the model cannot be built here");
        output.WriteLine();
        WriteFlops(flops, output);
    }

    /// <summary>The T5 encoder's size, and the weight memory of encoder and model together (what generation holds).</summary>
    internal static void WriteTextEncoder(string name, T5EncoderConfig encoder, ModelSummary model, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"text encoder {name}: T5 encoder, {encoder.NumLayers} layers, width {encoder.ModelDim}, {encoder.NumHeads} heads × {encoder.KeyValueDim}, " +
                         $"feed-forward {encoder.FeedForwardDim} ({encoder.FeedForwardProj}), vocabulary {Count(encoder.VocabSize)}: {Count(encoder.ParameterCount)} parameters");
        output.WriteLine($"encoder weights: {Size(encoder.WeightBytes(ScalarType.Float32))} as float32, {Size(encoder.WeightBytes(ScalarType.BFloat16))} as bfloat16");
        output.WriteLine($"encoder + model weights: {Size(encoder.WeightBytes(ScalarType.Float32) + model.WeightBytes(ScalarType.Float32))} as float32, " +
                         $"{Size(encoder.WeightBytes(ScalarType.BFloat16) + model.WeightBytes(ScalarType.BFloat16))} as bfloat16 " +
                         "(activations come on top: see docs/apple-models.md)");
    }

    private static void WriteFlops(ModelFlops flops, TextWriter output)
    {
        var config = flops.Plan.Config;
        string text = !flops.Plan.IsTextConditioned ? "no text"
            : config.ClassCount > 0 ? "text length 1 (one class token)"
            : $"text length {flops.TextLength}";
        output.WriteLine($"forward FLOPs per level (batch 1, {text}; 2 per multiply-accumulate; elementwise ops, norms, activations and softmax not counted):");
        string[] header = ["level", "resolution", "convolutions", "linear", "attention", "forward", "share"];
        WriteTable(output, header, flops.Levels.Select(level => new[]
        {
            level.Level.Index.ToString(CultureInfo.InvariantCulture),
            $"{level.Level.Resolution}²",
            Count(level.Convolutions),
            Count(level.Linear),
            Count(level.Attention),
            Count(level.Forward),
            (flops.Forward == 0 ? 0 : (double)level.Forward / flops.Forward).ToString("P1", CultureInfo.InvariantCulture),
        }), [false, true, true, true, true, true, true]);
        output.WriteLine();
        output.WriteLine($"forward: {Count(flops.Forward)} FLOPs ({Flops(flops.Forward)}) per image, all levels; " +
                         $"training step ≈ {ModelFlops.TrainingStepFactor} × forward = {Count(flops.TrainingStep)} FLOPs ({Flops(flops.TrainingStep)}) per image");
    }

    private static void WriteTable(TextWriter output, string[] header, IEnumerable<string[]> body, bool[] rightAligned)
    {
        var rows = body.ToList();
        var widths = header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
            output.WriteLine(string.Join("  ", row.Select((cell, c) => rightAligned[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
    }

    private static string Flops(long flops)
    {
        string[] units = ["FLOP", "kFLOP", "MFLOP", "GFLOP", "TFLOP", "PFLOP"];
        double value = flops;
        int unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return $"{value.ToString(unit == 0 ? "0" : "0.00", CultureInfo.InvariantCulture)} {units[unit]}";
    }

    private static string[] Row(LevelSummary summary)
    {
        var level = summary.Level;
        var config = level.Config;
        var attention = config.AttentionLevels.Where(a => config.NumAttentionLayers[a] > 0).Select(a => $"{a}:{config.NumAttentionLayers[a]}").ToArray();
        return
        [
            level.Index.ToString(CultureInfo.InvariantCulture),
            $"{level.Resolution}²",
            string.Join(",", config.ResolutionChannels),
            string.Join(",", config.NumResnetsPerResolution),
            attention.Length == 0 ? "-" : string.Join(" ", attention),
            level.TemporalDim.ToString(CultureInfo.InvariantCulture),
            level.ConditioningDim > 0 ? level.ConditioningDim.ToString(CultureInfo.InvariantCulture) : "-",
            YesNo(level.HasCondEmb),
            YesNo(level.HasLmProj),
            YesNo(level.NormalizesInput),
            Count(summary.Parameters),
            Count(summary.Tensors),
        ];
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    internal static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Size(long bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{Count(bytes)} bytes" : $"{value.ToString("0.00", CultureInfo.InvariantCulture)} {units[unit]} ({Count(bytes)} bytes)";
    }
}
