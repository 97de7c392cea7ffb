using static TorchSharp.torch;

namespace Matryoshka.Sampling;

/// <summary>
/// The network as a sampler sees it: the prediction of every level (high → low) for the current x_t of every level
/// and the network's integer time input per sample (the sampler's index − 1, as in ml-mdm). Guidance wraps a model
/// into one of these.
/// </summary>
public delegate IReadOnlyList<Tensor> Denoiser(IReadOnlyList<Tensor> noisy, Tensor networkTimesteps);
