using Matryoshka.Models;
using Matryoshka.Models.Blocks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Models;

/// <summary>
/// The FLOPs of one real forward pass of a model at batch 1, measured with forward hooks: every <c>Conv2d</c> and
/// <c>Linear</c> reports 2 × its output elements × its weight's input fan-in (in/groups × kh × kw, or in), and every
/// attention block reports its Q·Kᵀ and softmax·V products from the shapes it actually received (the products run
/// inside SDPA, which cannot be hooked). Modules are assigned to levels by their state_dict path.
/// </summary>
internal static class MeasuredFlops
{
    internal sealed record Level(long Convolutions, long Linear, long Attention);

    public static Level[] OfForwardPass(ModelConfig config, int textLength)
    {
        using var model = new NestedUNet(config, CPU, ScalarType.Float32);
        var plan = model.Plan;
        int count = plan.Levels.Count;
        var convolutions = new long[count];
        var linear = new long[count];
        var attention = new long[count];

        foreach (var (name, module) in model.named_modules())
        {
            int level = LevelPaths.LevelOf(name);
            switch (module)
            {
                case SafeConvolution conv:
                    conv.register_forward_hook((_, _, output) =>
                    {
                        var w = conv.Weight.shape;   // [out, in / groups, kh, kw]
                        convolutions[level] += 2 * output.numel() * w[1] * w[2] * w[3];
                        return null!;
                    });
                    break;
                case Linear layer:
                    layer.register_forward_hook((_, _, output) =>
                    {
                        linear[level] += 2 * output.numel() * layer.weight!.shape[1];
                        return null!;
                    });
                    break;
                case SpatialAttention block:
                    bool crossAttends = block.named_children().Any(c => c.name == "kv_cond");
                    block.register_forward_hook((_, x, text, _, _) =>
                    {
                        long channels = x.shape[1], positions = x.shape[2] * x.shape[3];
                        attention[level] += 2 * 2 * positions * positions * channels;
                        if (crossAttends) attention[level] += 2 * 2 * positions * text!.shape[1] * channels;
                        return null!;
                    });
                    break;
                case SelfAttention1D block:   // over text tokens, or over the frames at each position
                    block.register_forward_hook((_, sequences, _, _) =>
                    {
                        long tokens = sequences.shape[1];
                        attention[level] += 2 * 2 * tokens * tokens * sequences.shape[2] * sequences.shape[0];
                        return null!;
                    });
                    break;
                case TemporalConvolution conv:
                    conv.register_forward_hook((_, _, _, output) =>
                    {
                        var w = conv.parameters().First().shape;   // [out, in, 3]
                        convolutions[level] += 2 * output.numel() * w[1] * w[2];
                        return null!;
                    });
                    break;
            }
        }

        using var scope = NewDisposeScope();
        using var guard = no_grad();
        var generator = new Generator(7, CPU);
        var noisy = plan.Resolutions
            .Select(side => randn(new long[] { 1, plan.Config.InputChannels, side, side }, dtype: ScalarType.Float32, device: CPU, generator: generator))
            .ToArray();
        var timesteps = tensor(new long[] { 500 }, dtype: ScalarType.Int64, device: CPU);
        Tensor? text = null, mask = null;
        if (plan.Config.ClassCount > 0)
        {
            (text, mask) = model.ClassConditioning(tensor(new long[] { 1 }, dtype: ScalarType.Int64, device: CPU));
        }
        else if (plan.IsTextConditioned)
        {
            text = randn(new long[] { 1, textLength, plan.Config.TextEmbeddingDim }, dtype: ScalarType.Float32, device: CPU, generator: generator);
            mask = ones(new long[] { 1, textLength }, dtype: ScalarType.Float32, device: CPU);
        }
        model.Forward(noisy, timesteps, text, mask);

        return Enumerable.Range(0, count).Select(i => new Level(convolutions[i], linear[i], attention[i])).ToArray();
    }
}
