using static TorchSharp.torch;

namespace Matryoshka.IO;

/// <summary>
/// A recorded guided sampling run, as in ml-mdm's parity fixtures (<c>sample_*.safetensors</c>): initial noise
/// <c>noise_init.&lt;level&gt;</c>, step noise <c>noise_step.&lt;step&gt;.&lt;level&gt;</c> (stochastic samplers), conditional
/// and unconditional text (<c>lm_outputs_cond</c>/<c>_uncond</c>, <c>lm_mask_cond</c>/<c>_uncond</c>), optionally the
/// <c>timesteps</c> and per-step <c>x_t.step&lt;i&gt;.&lt;level&gt;</c>, and the expected <c>final.&lt;level&gt;</c>.
/// Tensors are on the CPU and owned by the current dispose scope.
/// </summary>
public sealed record SamplingBundle(
    IReadOnlyList<Tensor> InitialNoise,
    IReadOnlyDictionary<string, Tensor> Tensors,
    Tensor ConditionalText,
    Tensor ConditionalMask,
    Tensor? UnconditionalText,
    Tensor? UnconditionalMask,
    long[]? Timesteps,
    IReadOnlyList<Tensor> ExpectedFinal)
{
    /// <summary>Whether a file looks like a sampling bundle (it has <c>final.0</c>) rather than a forward bundle.</summary>
    public static bool IsSamplingBundle(string path) => SafetensorsReader.ReadHeader(path).Find("final.0") is not null;

    /// <summary>Recorded step noise, or null.</summary>
    public Tensor? StepNoise(int step, int level) => Tensors.GetValueOrDefault($"noise_step.{step}.{level}");

    /// <summary>Recorded x after a step, or null.</summary>
    public Tensor? NoisyAfterStep(int step, int level) => Tensors.GetValueOrDefault($"x_t.step{step}.{level}");

    /// <summary>Reads and checks a bundle.</summary>
    /// <exception cref="SafetensorsFormatException">The file is not valid safetensors.</exception>
    /// <exception cref="ParityBundleException">A tensor is missing or inconsistent.</exception>
    public static SamplingBundle Load(string path)
    {
        var tensors = SafetensorsReader.Load(path);
        var final = new List<Tensor>();
        while (tensors.TryGetValue($"final.{final.Count}", out var f)) final.Add(f);
        if (final.Count == 0) throw new ParityBundleException(path, "has no expected images final.0, final.1, …");
        var noise = new List<Tensor>();
        for (int l = 0; l < final.Count; l++)
        {
            if (!tensors.TryGetValue($"noise_init.{l}", out var n)) throw new ParityBundleException(path, $"has final.{l} but no initial noise noise_init.{l}");
            if (!n.shape.SequenceEqual(final[l].shape))
                throw new ParityBundleException(path, $"noise_init.{l} has shape [{string.Join(", ", n.shape)}] but final.{l} has [{string.Join(", ", final[l].shape)}]");
            noise.Add(n);
        }
        Tensor Required(string name) => tensors.TryGetValue(name, out var t) ? t : throw new ParityBundleException(path, $"has no {name}");
        var text = Required("lm_outputs_cond");
        var mask = Required("lm_mask_cond");
        tensors.TryGetValue("lm_outputs_uncond", out var uncondText);
        tensors.TryGetValue("lm_mask_uncond", out var uncondMask);
        if ((uncondText is null) != (uncondMask is null)) throw new ParityBundleException(path, "has only one of lm_outputs_uncond and lm_mask_uncond");
        long[]? timesteps = tensors.TryGetValue("timesteps", out var ts) ? ts.to(ScalarType.Int64).data<long>().ToArray() : null;
        return new SamplingBundle(noise, tensors, text, mask, uncondText, uncondMask, timesteps, final);
    }
}
