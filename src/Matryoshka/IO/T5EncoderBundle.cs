using static TorchSharp.torch;

namespace Matryoshka.IO;

/// <summary>
/// A recorded T5 encoder call, as in the T5 parity fixtures (<c>io.safetensors</c>): token ids <c>input_ids</c> [B, S],
/// the padding mask <c>attention_mask</c> [B, S] (optional: none means nothing is padded) and the expected
/// <c>last_hidden_state</c> [B, S, D]. Tensors are on the CPU and owned by the current dispose scope.
/// </summary>
public sealed record T5EncoderBundle(Tensor InputIds, Tensor? AttentionMask, Tensor LastHiddenState)
{
    /// <summary>Reads and checks a bundle.</summary>
    /// <exception cref="SafetensorsFormatException">The file is not valid safetensors.</exception>
    /// <exception cref="ParityBundleException">A tensor is missing or of the wrong type or shape.</exception>
    public static T5EncoderBundle Load(string path)
    {
        var tensors = SafetensorsReader.Load(path);
        if (!tensors.TryGetValue("input_ids", out var ids)) throw new ParityBundleException(path, "has no input_ids");
        if (!tensors.TryGetValue("last_hidden_state", out var expected)) throw new ParityBundleException(path, "has no last_hidden_state");
        if (ids.dim() != 2 || ids.is_floating_point() || ids.dtype == ScalarType.Bool)
            throw new ParityBundleException(path, $"input_ids must be an integer [B, S] tensor; got {ids.dtype} [{string.Join(", ", ids.shape)}]");
        if (expected.dim() != 3 || !expected.is_floating_point() || expected.shape[0] != ids.shape[0] || expected.shape[1] != ids.shape[1])
            throw new ParityBundleException(path, $"last_hidden_state must be a floating-point [{ids.shape[0]}, {ids.shape[1]}, D] tensor; got {expected.dtype} [{string.Join(", ", expected.shape)}]");
        tensors.TryGetValue("attention_mask", out var mask);
        if (mask is not null && !mask.shape.SequenceEqual(ids.shape))
            throw new ParityBundleException(path, $"attention_mask has shape [{string.Join(", ", mask.shape)}] but input_ids has [{string.Join(", ", ids.shape)}]");
        return new T5EncoderBundle(ids, mask, expected);
    }
}
