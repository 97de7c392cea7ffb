using Matryoshka.IO.Weights;
using Matryoshka.Models;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Models;

/// <summary>ml-mdm options beyond the fixtures: text self-attention heads, unused interpolation layers, and skip_inner_unet_input (broken in ml-mdm).</summary>
public class ModelOptionTests
{
    private static ModelConfig TwoLevel(Func<UNetConfig, UNetConfig>? outer = null, Func<StageBuilder, StageBuilder>? inner = null)
    {
        var config = NestedUNetBuilder.Create()
            .AddStage(16, s => (inner ?? (x => x))(s.Channels(32, 64).ResNets(1).Attention(1).TextProjection(64)))
            .AddStage(32, s => s.Channels(32, 64).ResNets(1))
            .WithTextEmbeddingDim(48).Build();
        return outer is null ? config : config with { UNet = outer(config.UNet) };
    }

    private static (Tensor[] Inputs, Tensor T, Tensor Text, Tensor Mask) Inputs()
    {
        var g = new Generator(4);
        return (new[] { randn(new long[] { 2, 3, 32, 32 }, generator: g), randn(new long[] { 2, 3, 16, 16 }, generator: g) },
            tensor(new long[] { 1, 500 }), randn(new long[] { 2, 3, 48 }, generator: g), tensor(new float[,] { { 1, 1, 1 }, { 1, 0, 0 } }));
    }

    [Fact]
    public void Text_head_layers_have_ml_mdm_keys_and_run()
    {
        using var model = new NestedUNet(TwoLevel(inner: s => s.TextHeadLayers(2)));
        var keys = model.state_dict().Keys.Where(k => k.StartsWith("inner_unet.lm_head.")).ToList();
        foreach (var suffix in new[] { "attn.norm.weight", "attn.qkv.weight", "attn.qkv.bias", "attn.proj_out.weight", "mlp.main.0.weight", "mlp.main.1.weight", "mlp.main.3.bias" })
        {
            Assert.Contains("inner_unet.lm_head.0." + suffix, keys);
            Assert.Contains("inner_unet.lm_head.1." + suffix, keys);
        }
        Assert.Equal(new long[] { 192, 64 }, model.state_dict()["inner_unet.lm_head.0.attn.qkv.weight"].shape);
        using var scope = NewDisposeScope();
        var (inputs, t, text, mask) = Inputs();
        var outputs = model.Forward(inputs, t, text, mask);
        Assert.All(outputs, o => Assert.False(o.isnan().any().item<bool>()));
    }

    [Fact]
    public void Interp_conditioning_adds_ml_mdm_s_unused_layers()
    {
        using var model = new NestedUNet(TwoLevel(outer: u => u with { InterpConditioning = true }));
        Assert.Equal(new long[] { 128, 32 }, model.state_dict()["interp_layer1.weight"].shape);
        Assert.Equal(new long[] { 128, 128 }, model.state_dict()["interp_layer2.weight"].shape);
    }

    [Fact]
    public void Skip_inner_unet_input_works_the_inner_level_sees_only_its_own_input()
    {
        var config = TwoLevel(outer: u => u with { SkipInnerUNetInput = true });
        using var model = new NestedUNet(config);
        Assert.DoesNotContain(model.state_dict().Keys, k => k.StartsWith("in_adapter."));
        Assert.Contains("out_adapter.weight", model.state_dict().Keys);
        using (no_grad())
            foreach (var p in model.parameters()) p.add_(randn(p.shape, generator: new Generator(8)) * 0.02);

        // The inner level alone, with the same weights, must give the same low-resolution output.
        using var inner = new NestedUNet(NestedUNetBuilder.Create()
            .AddStage(16, s => s.Channels(32, 64).ResNets(1).Attention(1).TextProjection(64)).WithTextEmbeddingDim(48).Build());
        ModelWeights.Load(inner, model.state_dict().Where(p => p.Key.StartsWith("inner_unet.")).ToDictionary(p => p.Key["inner_unet.".Length..], p => p.Value));

        using var scope = NewDisposeScope();
        var (inputs, t, text, mask) = Inputs();
        using var inference = inference_mode();
        TensorAssert.Close(inner.Forward(new[] { inputs[1] }, t, text, mask)[0], model.Forward(inputs, t, text, mask)[1], 0, "low-resolution output");
    }

    [Fact]
    public void Mixed_resolution_batches_run_the_high_level_on_the_first_samples_only()
    {
        using var model = new NestedUNet(TwoLevel());
        using (no_grad())
            foreach (var p in model.parameters()) p.add_(randn(p.shape, generator: new Generator(6)) * 0.02);
        using var scope = NewDisposeScope();
        var (inputs, t, text, mask) = Inputs();
        using var inference = inference_mode();
        var full = model.Forward(inputs, t, text, mask);
        var mixed = model.Forward(new[] { inputs[0].narrow(0, 0, 1), inputs[1] }, t, text, mask);
        Assert.Equal(1, mixed[0].shape[0]);
        TensorAssert.Close(full[0].narrow(0, 0, 1), mixed[0], 1e-5, "high level, first sample");
        // The low level of sample 1 no longer gets the outer feature (zero-padded), so only sample 0 must agree.
        TensorAssert.Close(full[1].narrow(0, 0, 1), mixed[1].narrow(0, 0, 1), 1e-5, "low level, first sample");
    }
}
