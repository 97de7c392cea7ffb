using System.Globalization;

namespace Matryoshka.Tests.Experiments;

/// <summary>
/// Writes a tiny experiment into a folder: a text-conditioned 32² → 16² MDM trained jointly ("joint") and
/// progressively ("progressive", 16² alone for the first half), on the 16 checked-in emoji with MiniLM captions.
/// </summary>
internal static class TinyExperiment
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");

    // The tiny two-level model with cross-attention on MiniLM tokens at the inner level's 8² resolution.
    private const string Model = """
        name: tiny_text
        model: nested_unet
        sample_image_size: 32
        unet_config:
          attention_levels: []
          masked_cross_attention: 1
          micro_conditioning: scale:32
          nesting: false
          num_attention_layers: [0, 0]
          num_resnets_per_resolution: [1, 1]
          resnet_config: {num_groups_norm: 8}
          resolution_channels: [16, 32]
          skip_cond_emb: true
          skip_mid_blocks: true
          skip_normalization: true
          temporal_dim: 64
          inner_config:
            attention_levels: [1]
            conditioning_feature_proj_dim: 32
            masked_cross_attention: 1
            micro_conditioning: scale:16
            nesting: true
            num_attention_layers: [0, 1]
            num_resnets_per_resolution: [1, 1]
            resnet_config: {num_groups_norm: 8}
            resolution_channels: [32, 32]
            skip_cond_emb: false
            temporal_dim: 64
        """;

    /// <summary>Training steps of each arm.</summary>
    public const int Steps = 4;

    /// <summary>Images per training step.</summary>
    public const int Batch = 4;

    /// <summary>Writes the model, both arms' training configurations and the spec; returns the spec's path.</summary>
    public static string Write(string folder, string atSteps = "[2, 4]", string seeds = "[1, 2]", string extraEvaluation = "")
    {
        File.WriteAllText(Path.Combine(folder, "tiny-text.model.yaml"), Model);
        WriteTraining(folder, "joint.yaml", $"  - {{ levels: 2, steps: {Steps} }}");
        WriteTraining(folder, "progressive.yaml", $"  - {{ levels: 1, steps: {Steps / 2} }}\n  - {{ levels: 2, steps: {Steps / 2} }}");
        string spec = Path.Combine(folder, "experiment.yaml");
        File.WriteAllText(spec, $"""
            arms:
              - {"{"} name: joint, training: joint.yaml {"}"}
              - {"{"} name: progressive, training: progressive.yaml {"}"}
            seeds: {seeds}
            evaluation:
              data: {Path.Combine(Samples, "emoji-mini")}
              at_steps: {atSteps}
              queries: 3
              fd_images: 4
              steps: 2
              batch: 4
              loss_window: 3
            {extraEvaluation}
            """);
        return spec;
    }

    private static void WriteTraining(string folder, string name, string stages) => File.WriteAllText(Path.Combine(folder, name), $"""
        model: tiny-text.model.yaml
        text_embedding_dim: 384
        seed: 99
        data: {"{"} kind: image-folder, path: {Path.Combine(Samples, "emoji-mini")}, batch_size: {Batch.ToString(CultureInfo.InvariantCulture)}, prefetch: 1 {"}"}
        conditioning: {"{"} kind: minilm, dropout: 0.25 {"}"}
        optimizer: {"{"} learning_rate: 0.002 {"}"}
        ema: {"{"} decay: 0.9, warmup: true {"}"}
        checkpoint: {"{"} every: 1, keep: 2 {"}"}
        stages:
        {stages}
        """);
}
