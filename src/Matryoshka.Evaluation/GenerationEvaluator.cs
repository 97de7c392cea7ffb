using Matryoshka.Pipelines;
using Matryoshka.Sampling;
using Matryoshka.Text.MiniLM;

namespace Matryoshka.Evaluation;

/// <summary>
/// Evaluates a text-to-image model in one call: loads it with a MiniLM caption encoder, loads the captioned image
/// folder at the model's resolution and runs <see cref="GenerationEvaluation"/> (caption retrieval and FD-ResNet18).
/// See docs/evaluation.md.
/// </summary>
public static class GenerationEvaluator
{
    /// <summary>Runs the evaluation on a thread of its own (sampling is synchronous TorchSharp work).</summary>
    /// <param name="options">What to evaluate.</param>
    /// <param name="progress">Told when generation begins and after every batch of images, from the evaluation's thread.</param>
    /// <param name="cancellationToken">Stops between batches (the task then ends in <see cref="OperationCanceledException"/>).</param>
    /// <returns>The figures.</returns>
    /// <exception cref="EvaluationSettingsException">A setting is out of range for the data, or the model takes no text.</exception>
    /// <exception cref="MatryoshkaException">The model, weights or images cannot be read (a subclass names the file).</exception>
    public static Task<EvaluationReport> EvaluateAsync(GenerationEvaluatorOptions options, IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataFolder);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ModelConfigPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.WeightsPath);
        ArgumentNullException.ThrowIfNull(options.Settings);
        return Task.Factory.StartNew(() => Evaluate(options, progress, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static EvaluationReport Evaluate(GenerationEvaluatorOptions options, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        var settings = options.Settings;
        using var encoder = new MiniLMTextEncoder(options.TextEncoder);
        var builder = MatryoshkaPipeline.CreateBuilder()
            .FromMlMdm(options.ModelConfigPath, options.WeightsPath, MiniLMTextEncoder.HiddenSize)
            .WithSampler(Samplers.FromName(settings.Sampler, 0));
        if (settings.Device is { } device) builder.OnDevice(device);
        using var pipeline = builder.Build();
        if (!pipeline.Model.IsTextConditioned) throw new EvaluationSettingsException($"{options.ModelConfigPath} is not a text-conditioned model");
        var set = EvaluationSet.Load(options.DataFolder, settings.UpscaleTo ?? pipeline.Model.Resolutions[0]);
        settings.Validate(set.Images.Count); // before the ResNet18 session and the samples folder are made
        if (options.SamplesFolder is not null) Directory.CreateDirectory(options.SamplesFolder);
        var owned = options.Features is null ? new ResNet18FeatureExtractor() : null;
        using (owned)
        {
            var evaluation = GenerationEvaluation.ForPipeline(pipeline, encoder, settings, options.Features ?? owned!);
            return evaluation.Run(set, settings, progress, options.SamplesFolder, cancellationToken);
        }
    }
}
