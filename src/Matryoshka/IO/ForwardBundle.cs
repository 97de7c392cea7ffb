using static TorchSharp.torch;

namespace Matryoshka.IO;

/// <summary>
/// A recorded model forward pass, as in ml-mdm's parity fixtures (<c>forward.safetensors</c>): noisy inputs
/// <c>x_t.0…</c> (high → low), integer steps <c>t</c>, optional text <c>lm_outputs</c> and mask <c>lm_mask</c>, and
/// the expected outputs <c>out.0…</c>. Tensors are on the CPU and owned by the current dispose scope.
/// </summary>
public sealed record ForwardBundle(
    IReadOnlyList<Tensor> Inputs,
    Tensor Timesteps,
    Tensor? Text,
    Tensor? TextMask,
    IReadOnlyList<Tensor> ExpectedOutputs)
{
    /// <summary>Reads and checks a bundle.</summary>
    /// <exception cref="SafetensorsFormatException">The file is not valid safetensors.</exception>
    /// <exception cref="ParityBundleException">A tensor is missing or inconsistent.</exception>
    public static ForwardBundle Load(string path)
    {
        var tensors = SafetensorsReader.Load(path);
        var inputs = Numbered(tensors, "x_t", path);
        var expected = Numbered(tensors, "out", path);
        if (inputs.Count == 0) throw new ParityBundleException(path, "has no inputs x_t.0, x_t.1, …");
        if (expected.Count != inputs.Count)
            throw new ParityBundleException(path, $"has {inputs.Count} inputs x_t.* but {expected.Count} expected outputs out.*");
        for (int l = 0; l < inputs.Count; l++)
        {
            if (inputs[l].dim() != 4 || !inputs[l].is_floating_point())
                throw new ParityBundleException(path, $"x_t.{l} must be a floating-point [B, C, H, W] tensor; got {inputs[l].dtype} [{string.Join(", ", inputs[l].shape)}]");
            if (!expected[l].shape.SequenceEqual(inputs[l].shape))
                throw new ParityBundleException(path, $"out.{l} has shape [{string.Join(", ", expected[l].shape)}] but x_t.{l} has [{string.Join(", ", inputs[l].shape)}]");
        }
        if (!tensors.TryGetValue("t", out var t)) throw new ParityBundleException(path, "has no step tensor t");
        tensors.TryGetValue("lm_outputs", out var text);
        tensors.TryGetValue("lm_mask", out var mask);
        if (mask is not null && text is null) throw new ParityBundleException(path, "has lm_mask but no lm_outputs");
        return new ForwardBundle(inputs, t, text, mask, expected);
    }

    private static List<Tensor> Numbered(Dictionary<string, Tensor> tensors, string prefix, string path)
    {
        var result = new List<Tensor>();
        while (tensors.TryGetValue($"{prefix}.{result.Count}", out var tensor)) result.Add(tensor);
        if (tensors.Keys.Any(k => k.StartsWith(prefix + ".", StringComparison.Ordinal) && int.TryParse(k[(prefix.Length + 1)..], out int i) && i >= result.Count))
            throw new ParityBundleException(path, $"{prefix}.* entries are not numbered 0, 1, 2, … without gaps");
        return result;
    }
}
