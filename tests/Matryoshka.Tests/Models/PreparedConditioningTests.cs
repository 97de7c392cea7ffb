using Matryoshka.Models;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Models;

/// <summary>Conditioning prepared once gives exactly the forward pass that recomputes it.</summary>
public sealed class PreparedConditioningTests
{
    private static NestedUNet Model() => new(NestedUNetBuilder.Create()
        .AddStage(8, s => s.Channels(16, 32).ResNets(1).Attention(1).TextProjection(32).MaskedCrossAttention(true).MicroConditioning()
            .ResNet(groups: 8))
        .AddStage(16, s => s.Channels(16, 16).ResNets(1).TemporalDim(64).MicroConditioning().ResNet(groups: 8))
        .WithTextEmbeddingDim(12)
        .Build());

    private static (Tensor[] Noisy, Tensor Timesteps, Tensor Text, Tensor Mask) Inputs(long batch)
    {
        var g = new Generator(5);
        var noisy = new[] { randn(new[] { batch, 3, 16, 16 }, generator: g), randn(new[] { batch, 3, 8, 8 }, generator: g) };
        var text = randn(new[] { batch, 5, 12 }, generator: g);
        var mask = ones(batch, 5);
        mask[0, 3] = 0; // a padded token, so masked pooling and masked attention matter
        mask[0, 4] = 0;
        return (noisy, tensor(new long[] { 10, 700, 999 }[..(int)batch]), text, mask);
    }

    [Fact]
    public void Prepared_conditioning_reproduces_the_plain_forward_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        using var model = Model();
        var (noisy, t, text, mask) = Inputs(3);
        var micros = new Dictionary<string, Tensor> { ["scale"] = tensor(new[] { 4f, 16f, 8f }) };
        var plain = model.Forward(noisy, t, text, mask, micros);
        var prepared = model.PrepareConditioning(3, text, mask, micros);
        var reused = model.Forward(noisy, t, prepared);
        var again = model.Forward(noisy, t, prepared); // reusable: nothing in it is consumed by a call
        for (int level = 0; level < 2; level++)
        {
            Assert.True(plain[level].eq(reused[level]).all().item<bool>(), $"level {level}");
            Assert.True(plain[level].eq(again[level]).all().item<bool>(), $"level {level}, second call");
        }
    }

    [Fact]
    public void Conditioning_from_another_model_or_for_another_batch_is_refused()
    {
        using var scope = NewDisposeScope();
        using var model = Model();
        using var other = Model();
        var (noisy, t, text, mask) = Inputs(3);
        var prepared = model.PrepareConditioning(3, text, mask);
        Assert.Contains("another model", Assert.Throws<ArgumentException>(() => other.Forward(noisy, t, prepared)).Message);
        var (noisy2, t2, _, _) = Inputs(2);
        Assert.Contains("prepared for 3 samples", Assert.Throws<ArgumentException>(() => model.Forward(noisy2, t2, prepared)).Message);
        Assert.Throws<ArgumentException>(() => model.PrepareConditioning(2, text, mask)); // text rows ≠ batch
        Assert.Throws<ArgumentNullException>(() => model.PrepareConditioning(3));         // text-conditioned: text required
    }
}
