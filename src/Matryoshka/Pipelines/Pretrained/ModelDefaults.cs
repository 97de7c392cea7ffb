using Matryoshka.Conditioning;
using Matryoshka.Diffusion;
using Matryoshka.Sampling;
using Matryoshka.Schedules;

namespace Matryoshka.Pipelines.Pretrained;

/// <summary>
/// The settings a model brings with it (from its ml-mdm diffusion_config and its manifest). The builder applies
/// them below every explicit call, so the order of builder calls never matters.
/// </summary>
internal sealed record ModelDefaults
{
    public Func<IReadOnlyList<int>, MultiResolutionSchedule>? Schedule { get; init; }
    public PredictionType? Prediction { get; init; }
    public Thresholding? Thresholding { get; init; }
    public string? Sampler { get; init; }
    public int? Steps { get; init; }
    public double? Guidance { get; init; }
    public PixelConvention? Pixels { get; init; }
    public string? Device { get; init; }
    public TextEncoderSpec? TextEncoder { get; init; }
}
