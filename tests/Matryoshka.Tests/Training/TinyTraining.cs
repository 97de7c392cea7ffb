using Matryoshka.Conditioning;
using Matryoshka.IO.Weights;
using Matryoshka.Models;
using Matryoshka.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

/// <summary>A tiny two-level model (16 → 8) and smooth random images for training tests.</summary>
internal static class TinyTraining
{
    public const int TextWidth = 16;
    public const int Tokens = 4;

    public static ModelConfig Config() => NestedUNetBuilder.Create()
        .AddStage(8, s => s.Channels(32, 32).ResNets(1).Attention(1).TextProjection(32).ResNet(groups: 8))
        .AddStage(16, s => s.Channels(32, 32).ResNets(1).ResNet(groups: 8))
        .WithTextEmbeddingDim(TextWidth)
        .Build();

    public static MultiResolutionSchedule Schedule() => new(NoiseSchedules.CosineCapped(1000), new[] { 16, 8 });

    /// <summary>A fresh model; <paramref name="copyOf"/> gives one with identical weights.</summary>
    public static NestedUNet Model(NestedUNet? copyOf = null)
    {
        var model = new NestedUNet(Config());
        if (copyOf is not null)
        {
            using var scope = NewDisposeScope();
            ModelWeights.Load(model, copyOf.state_dict());
        }
        return model;
    }

    /// <summary>Smooth patterns: 4×4 noise upsampled bilinearly to 16×16, squashed into [−1, 1].</summary>
    public static Tensor Images(int count, ulong seed)
    {
        using var g = new Generator(seed);
        using var scope = NewDisposeScope();
        var low = randn(new long[] { count, 3, 4, 4 }, generator: g);
        var images = nn.functional.interpolate(low, new long[] { 16, 16 }, mode: InterpolationMode.Bilinear, align_corners: false).tanh();
        return images.MoveToOuterDisposeScope();
    }

    /// <summary>Random embeddings [count, Tokens, TextWidth] with every token real.</summary>
    public static TextConditioning Text(int count, ulong seed)
    {
        using var g = new Generator(seed);
        return new TextConditioning(randn(new long[] { count, Tokens, TextWidth }, generator: g), ones(count, Tokens));
    }

    public static Dictionary<string, Tensor> Snapshot(NestedUNet model) =>
        model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());

    public static bool Identical(this Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    public static bool SameWeights(NestedUNet a, NestedUNet b)
    {
        var right = b.state_dict();
        return a.state_dict().All(p => p.Value.Identical(right[p.Key]));
    }
}
