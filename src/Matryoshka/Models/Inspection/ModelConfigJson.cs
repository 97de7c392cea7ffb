using System.Text.Json;
using Matryoshka.Interop.MlMdm;
using static TorchSharp.torch;

namespace Matryoshka.Models.Inspection;

/// <summary>A model config as one JSON object (what <c>matryoshka inspect --json</c> prints).</summary>
internal static class ModelConfigJson
{
    internal static void Write(string path, ModelSummary summary, ModelFlops flops, MlMdmDiffusionConfig? diffusion, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var plan = summary.Plan;
            json.WriteStartObject();
            json.WriteString("file", path);
            json.WriteString("format", "ml-mdm model config");
            if (plan.IsTextConditioned) json.WriteNumber("text_embedding_dim", plan.Config.TextEmbeddingDim);
            else json.WriteNull("text_embedding_dim");
            json.WriteNumber("total_parameters", summary.TotalParameters);
            json.WriteNumber("tensors", summary.Tensors.Count);
            json.WriteNumber("bytes_f32", summary.WeightBytes(ScalarType.Float32));
            json.WriteNumber("bytes_bf16", summary.WeightBytes(ScalarType.BFloat16));
            json.WriteStartObject("flops");
            json.WriteNumber("batch", 1);
            if (plan.IsTextConditioned) json.WriteNumber("text_length", flops.TextLength);
            else json.WriteNull("text_length");
            json.WriteNumber("forward", flops.Forward);
            json.WriteNumber("training_step", flops.TrainingStep);
            json.WriteNumber("training_step_factor", ModelFlops.TrainingStepFactor);
            json.WriteEndObject();
            json.WriteStartArray("levels");
            for (int i = 0; i < summary.Levels.Count; i++) WriteLevel(json, summary.Levels[i], flops.Levels[i]);
            json.WriteEndArray();
            DiffusionConfigDescription.WriteJson(json, diffusion, plan);
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteLevel(Utf8JsonWriter json, LevelSummary summary, LevelFlops flops)
    {
        var level = summary.Level;
        var config = level.Config;
        json.WriteStartObject();
        json.WriteNumber("index", level.Index);
        json.WriteString("config_path", level.ConfigPath);
        json.WriteString("key_prefix", level.KeyPrefix);
        json.WriteNumber("resolution", level.Resolution);
        json.WriteNumber("scale", level.Scale);
        WriteInts(json, "channels", config.ResolutionChannels);
        WriteInts(json, "num_resnets_per_resolution", config.NumResnetsPerResolution);
        WriteInts(json, "attention_levels", config.AttentionLevels);
        WriteInts(json, "num_attention_layers", config.NumAttentionLayers);
        json.WriteNumber("temporal_dim", level.TemporalDim);
        json.WriteBoolean("temporal_mode", level.IsTemporal);
        if (level.IsTemporal)
        {
            json.WriteNumber("frame_grid", level.FrameGrid);
            json.WriteNumber("frame_resolution", level.FrameResolution);
            WriteInts(json, "num_temporal_attention_layers", Enumerable.Range(0, config.ResolutionCount).Select(level.TemporalAttentionLayers).ToArray());
        }
        if (level.ConditioningDim > 0) json.WriteNumber("conditioning_dim", level.ConditioningDim);
        else json.WriteNull("conditioning_dim");
        json.WriteBoolean("has_cond_emb", level.HasCondEmb);
        json.WriteBoolean("has_lm_proj", level.HasLmProj);
        json.WriteBoolean("has_mid_blocks", level.HasMidBlocks);
        json.WriteBoolean("input_normalized", level.NormalizesInput);
        json.WriteNumber("parameters", summary.Parameters);
        json.WriteNumber("tensors", summary.Tensors);
        json.WriteStartObject("flops");
        json.WriteNumber("convolutions", flops.Convolutions);
        json.WriteNumber("linear", flops.Linear);
        json.WriteNumber("attention", flops.Attention);
        json.WriteNumber("forward", flops.Forward);
        json.WriteNumber("training_step", flops.TrainingStep);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteInts(Utf8JsonWriter json, string name, IReadOnlyList<int> values)
    {
        json.WriteStartArray(name);
        foreach (int value in values) json.WriteNumberValue(value);
        json.WriteEndArray();
    }
}
