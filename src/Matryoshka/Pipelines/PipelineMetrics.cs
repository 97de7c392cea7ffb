using System.Diagnostics.Metrics;

namespace Matryoshka.Pipelines;

/// <summary>
/// The <c>Matryoshka</c> meter: <c>matryoshka.sampling.steps</c> (sampling steps taken; steps/s is its rate) and
/// <c>matryoshka.generation.duration</c> (seconds per generation), each tagged <c>matryoshka.pipeline</c> with the
/// pipeline's metrics name (<see cref="MatryoshkaPipelineBuilder.WithMetricsName"/>: the DI name, else the model's
/// manifest name, else empty), so several pipelines in one process are told apart. Collect them with OpenTelemetry or dotnet-counters.
/// </summary>
public static class PipelineMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Matryoshka";

    /// <summary>The tag that carries the pipeline's name on every measurement.</summary>
    public const string PipelineTag = "matryoshka.pipeline";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Steps = Meter.CreateCounter<long>("matryoshka.sampling.steps", unit: "{step}", description: "Sampling steps taken (one network call, two with guidance).");

    internal static readonly Histogram<double> GenerationSeconds = Meter.CreateHistogram<double>("matryoshka.generation.duration", unit: "s", description: "Wall time of one generation's denoising loop.");
}
