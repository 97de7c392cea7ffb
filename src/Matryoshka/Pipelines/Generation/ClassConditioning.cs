using Matryoshka.Conditioning;
using Matryoshka.IO;
using static TorchSharp.torch;

namespace Matryoshka.Pipelines.Generation;

/// <summary>
/// A class-conditional model's conditioning: a row of its class-embedding table (one token, mask 1) per label; the
/// last row is the learned "no class" token that classifier-free guidance trained against.
/// </summary>
internal static class ClassConditioning
{
    public static (TextConditioning Conditional, TextConditioning Unconditional) FromWeights(string weightsPath, IReadOnlyList<long> labels)
    {
        if (labels.Count == 0) throw new GenerationJobException("no class label given");
        var weights = SafetensorsReader.Load(weightsPath, include: name => name.EndsWith("class_embedding.weight", StringComparison.Ordinal));
        if (weights.Count != 1) throw new GenerationJobException($"{weightsPath} holds no class_embedding.weight: the model is not class-conditional");
        var table = weights.Values.Single();
        long classes = table.shape[0] - 1;
        foreach (long label in labels)
            if (label < 0 || label >= classes)
                throw new GenerationJobException($"class label {label} is not one of the model's classes 0 … {classes - 1} ({weightsPath})");
        var conditional = table.index_select(0, tensor(labels.ToArray())).unsqueeze(1);
        var unconditional = table.narrow(0, classes, 1).unsqueeze(1);
        return (new TextConditioning(conditional, ones(labels.Count, 1)), new TextConditioning(unconditional, ones(1, 1)));
    }
}
