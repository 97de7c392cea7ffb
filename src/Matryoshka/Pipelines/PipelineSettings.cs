using Matryoshka.Conditioning;
using Matryoshka.Diffusion;
using Matryoshka.Guidance;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using static TorchSharp.torch;

namespace Matryoshka.Pipelines;

/// <summary>Everything the builder resolved, handed to the pipeline in one piece.</summary>
internal sealed record PipelineSettings(
    MultiResolutionSchedule Schedule, PredictionType Prediction, ISampler Sampler, Thresholding Thresholding, IGuidance Guidance,
    ITextEncoder? TextEncoder, int Steps, TimestepSpacing Spacing, Device Device, ScalarType DType, PixelConvention Pixels, string? Name,
    string? MetricsName);
