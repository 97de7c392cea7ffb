using static TorchSharp.torch;

namespace Matryoshka.Training.Configuration;

/// <summary>
/// Runs a model's initialisation under a fixed seed of torch's global generator (TorchSharp's modules initialise from
/// it) and puts the generator's previous state back afterwards, so a library call leaves the process's random stream as
/// it found it.
/// </summary>
internal static class SeededInitialisation
{
    public static T Run<T>(long seed, Func<T> create)
    {
        using var saved = get_rng_state();
        manual_seed(seed);
        try { return create(); }
        finally { set_rng_state(saved); }
    }
}
