using Matryoshka.Text.MiniLM;

namespace Matryoshka.Evaluation;

/// <summary>What <see cref="GenerationEvaluator.EvaluateAsync"/> evaluates: an ml-mdm model conditioned on MiniLM token
/// embeddings, against a captioned image folder.</summary>
public sealed record GenerationEvaluatorOptions
{
    /// <summary>Image folder with caption sidecars (e.g. data/emoji).</summary>
    public required string DataFolder { get; init; }

    /// <summary>The model's ml-mdm config (.yaml with its diffusion_config, or .json).</summary>
    public required string ModelConfigPath { get; init; }

    /// <summary>The model's weights (.safetensors).</summary>
    public required string WeightsPath { get; init; }

    /// <summary>What to measure and how to sample.</summary>
    public EvaluationSettings Settings { get; init; } = new();

    /// <summary>The caption encoder's options (the caption length the model was trained with).</summary>
    public MiniLMTextEncoderOptions TextEncoder { get; init; } = new();

    /// <summary>Also write every generated image as a PNG into this folder (created if missing).</summary>
    public string? SamplesFolder { get; init; }

    /// <summary>The image features (null: <see cref="ResNet18FeatureExtractor"/>, made and disposed by the evaluation).</summary>
    public IImageFeatureExtractor? Features { get; init; }
}
