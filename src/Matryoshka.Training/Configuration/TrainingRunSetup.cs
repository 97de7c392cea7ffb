using Matryoshka.Conditioning;
using Matryoshka.Models;
using Matryoshka.Training.Runs;

namespace Matryoshka.Training.Configuration;

/// <summary>A training configuration turned into the library's <see cref="TrainingRunOptions"/>, with the text encoder they use.</summary>
public sealed class TrainingRunSetup : IDisposable
{
    private readonly IDisposable? _resources;

    internal TrainingRunSetup(TrainingRunOptions options, ITextEncoder? textEncoder, IDisposable? resources) =>
        (Options, TextEncoder, _resources) = (options, textEncoder, resources);

    /// <summary>The run's options (for <see cref="ProgressiveTrainingRun"/>).</summary>
    public TrainingRunOptions Options { get; }

    /// <summary>The caption encoder the model is conditioned on (conditioning.kind minilm), else null.</summary>
    public ITextEncoder? TextEncoder { get; }

    /// <summary>Each stage's estimated peak training memory at the configured batch size, in stage order.</summary>
    public IReadOnlyList<TrainingMemoryEstimate> MemoryEstimates { get; internal init; } = [];

    /// <summary>Releases the text encoder.</summary>
    public void Dispose() => _resources?.Dispose();
}
