using Matryoshka.Conditioning;
using Matryoshka.IO;
using static TorchSharp.torch;

namespace Matryoshka.Pipelines.Generation;

/// <summary>Precomputed text conditioning from safetensors files: <c>lm_outputs</c>/<c>lm_mask</c>, or ml-mdm's <c>_cond</c>/<c>_uncond</c> pairs.</summary>
internal static class ConditioningFiles
{
    public static (TextConditioning Conditional, TextConditioning? Unconditional) Read(string path, string? negativePath)
    {
        var tensors = SafetensorsReader.Load(path);
        var conditional = Pair(tensors, "") ?? Pair(tensors, "_cond")
            ?? throw new GenerationJobException($"{path} has neither lm_outputs + lm_mask nor lm_outputs_cond + lm_mask_cond");
        var unconditional = negativePath is null ? Pair(tensors, "_uncond") : Pair(SafetensorsReader.Load(negativePath), "")
            ?? throw new GenerationJobException($"{negativePath} has no lm_outputs + lm_mask");
        return (conditional, unconditional);
    }

    private static TextConditioning? Pair(Dictionary<string, Tensor> tensors, string suffix) =>
        tensors.TryGetValue("lm_outputs" + suffix, out var embeddings) && tensors.TryGetValue("lm_mask" + suffix, out var mask)
            ? new TextConditioning(embeddings, mask)
            : null;
}
