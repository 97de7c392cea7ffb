using static TorchSharp.torch;

namespace Matryoshka.Sampling;

/// <summary>
/// Where a sampler's random numbers come from: the initial noise of every level and the fresh noise a stochastic
/// step adds. Supplying your own source replays recorded noise (that is how parity runs work) or shares noise
/// across runs. Implementations are used by one generation at a time.
/// </summary>
public interface INoiseSource
{
    /// <summary>Initial noise for <paramref name="level"/>, shaped and typed like <paramref name="like"/> and on its device.</summary>
    Tensor Initial(int level, Tensor like);

    /// <summary>Noise added at sampling step <paramref name="step"/> to <paramref name="level"/>, shaped like <paramref name="like"/>.</summary>
    Tensor Step(int step, int level, Tensor like);
}
