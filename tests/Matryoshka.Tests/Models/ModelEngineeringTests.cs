using Matryoshka.IO.Weights;
using Matryoshka.Models;
using Matryoshka.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Models;

/// <summary>Weights round trips, strict loading, memory discipline, dtypes and freezing.</summary>
public class ModelEngineeringTests
{
    private static (Tensor[] Inputs, Tensor T, Tensor Text, Tensor Mask) Inputs(ScalarType dtype = ScalarType.Float32)
    {
        var g = new Generator(21);
        var inputs = new[] { randn(new long[] { 2, 3, 32, 32 }, generator: g).to(dtype), randn(new long[] { 2, 3, 16, 16 }, generator: g).to(dtype) };
        return (inputs, tensor(new long[] { 3, 700 }), randn(new long[] { 2, 4, 48 }, generator: g).to(dtype), tensor(new float[,] { { 1, 1, 1, 1 }, { 1, 1, 0, 0 } }));
    }

    private static NestedUNet RandomModel(int seed)
    {
        manual_seed(seed);
        var model = new NestedUNet(ModelBuilderTests.TwoLevelFixtureConfig());
        // Zero-initialised layers would hide most of the network: perturb every parameter (as the fixtures do).
        using (no_grad())
            foreach (var p in model.parameters()) p.add_(randn(p.shape, generator: new Generator((ulong)seed++)) * 0.02);
        model.eval();
        return model;
    }

    [Fact]
    public void Save_then_load_gives_identical_outputs()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        using var original = RandomModel(1);
        ModelWeights.Save(original, folder.File("m.safetensors"), new Dictionary<string, string> { ["source"] = "test" });
        using var copy = RandomModel(2);
        var report = ModelWeights.Load(copy, folder.File("m.safetensors"));
        Assert.True(report.IsExact);
        Assert.Equal(original.state_dict().Count, report.Loaded);

        var (inputs, t, text, mask) = Inputs();
        using var inference = inference_mode();
        var a = original.Forward(inputs, t, text, mask);
        var b = copy.Forward(inputs, t, text, mask);
        for (int l = 0; l < 2; l++) TensorAssert.Close(a[l], b[l], 0, $"level {l}");
    }

    [Fact]
    public void Strict_loading_names_missing_and_unexpected_keys()
    {
        using var scope = NewDisposeScope();
        using var model = RandomModel(3);
        var weights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        weights.Remove("inner_unet.lm_proj.bias");
        weights["extra.weight"] = zeros(2);

        var error = Assert.Throws<WeightsMismatchException>(() => ModelWeights.Load(model, weights));
        Assert.Equal(new[] { "inner_unet.lm_proj.bias" }, error.Missing);
        Assert.Equal(new[] { "extra.weight" }, error.Unexpected);
        Assert.Contains("inner_unet.lm_proj.bias", error.Message);
        Assert.Contains("extra.weight", error.Message);

        var report = ModelWeights.Load(model, weights, strict: false);
        Assert.Equal(new[] { "inner_unet.lm_proj.bias" }, report.Missing);
        Assert.Equal(new[] { "extra.weight" }, report.Unexpected);
    }

    [Fact]
    public void Shape_mismatch_is_refused_naming_the_key()
    {
        using var scope = NewDisposeScope();
        using var model = RandomModel(4);
        var weights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        weights["conv_in.weight"] = zeros(32, 3, 5, 5);
        var error = Assert.Throws<WeightsMismatchException>(() => ModelWeights.Load(model, weights, strict: false));
        Assert.Contains("conv_in.weight", error.Message);
    }

    [Fact]
    public void Two_hundred_forwards_keep_the_live_tensor_count_constant()
    {
        using var model = RandomModel(5);
        var (inputs, t, text, mask) = Inputs();
        using var inference = inference_mode();
        void Step()
        {
            using var scope = NewDisposeScope();
            model.Forward(inputs, t, text, mask);
        }
        Step();
        DisposeScopeManager.Statistics.Reset();
        for (int i = 0; i < 200; i++) Step();
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Forward_outside_any_scope_returns_only_the_outputs()
    {
        using var model = RandomModel(6);
        var (inputs, t, text, mask) = Inputs();
        using var inference = inference_mode();
        DisposeScopeManager.Statistics.Reset();
        var outputs = model.Forward(inputs, t, text, mask);
        Assert.Equal(outputs.Length, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        foreach (var o in outputs) o.Dispose();
    }

    [Fact]
    public void Bfloat16_model_tracks_the_float32_model()
    {
        using var scope = NewDisposeScope();
        using var model = RandomModel(7);
        var (inputs, t, text, mask) = Inputs();
        using var inference = inference_mode();
        var reference = model.Forward(inputs, t, text, mask);
        model.to(ScalarType.BFloat16);
        var (inputs16, _, text16, _) = Inputs(ScalarType.BFloat16);
        var low = model.Forward(inputs16, t, text16, mask);
        for (int l = 0; l < 2; l++)
        {
            Assert.Equal(ScalarType.BFloat16, low[l].dtype);
            // bf16 keeps ~3 significant digits per operation; 5 % of the largest value bounds the drift through the net.
            TensorAssert.RelativelyClose(reference[l], low[l].to(ScalarType.Float32), 0.05, $"bf16 level {l}");
        }
    }

    [Fact]
    public void Freezing_the_inner_unet_stops_its_gradients_only()
    {
        var config = ModelBuilderTests.TwoLevelFixtureConfig();
        config = config with { UNet = config.UNet with { FreezeInnerUNet = true } };
        using var model = new NestedUNet(config);
        var named = model.named_parameters().ToList();
        Assert.All(named.Where(p => p.name.StartsWith("inner_unet.")), p => Assert.False(p.parameter.requires_grad, p.name));
        Assert.All(named.Where(p => !p.name.StartsWith("inner_unet.")), p => Assert.True(p.parameter.requires_grad, p.name));

        using var scope = NewDisposeScope();
        var (inputs, t, text, mask) = Inputs();
        var outputs = model.Forward(inputs, t, text, mask);
        (outputs[0].square().mean() + outputs[1].square().mean()).backward();
        Assert.NotNull(model.named_parameters().First(p => p.name == "conv_out.weight").parameter.grad);
        Assert.Null(model.named_parameters().First(p => p.name == "inner_unet.conv_out.weight").parameter.grad);
    }

    [Fact]
    public void A_grown_model_starts_as_its_inner_model()
    {
        // Progressive training: a fresh outer level around trained inner weights changes nothing at low
        // resolution and predicts zeros at high resolution (zero-initialised adapters and output head).
        var innerOnly = NestedUNetBuilder.Create()
            .AddStage(16, s => s.Channels(32, 64).ResNets(1).Attention(1).TextProjection(64).MaskedCrossAttention(false)
                .MicroConditioning().ResNet(attentionFeedForward: true))
            .WithTextEmbeddingDim(48).Build();
        using var small = new NestedUNet(innerOnly);
        using (no_grad())
            foreach (var p in small.parameters()) p.copy_(randn(p.shape, generator: new Generator(9)) * 0.05);
        using var grown = new NestedUNet(ModelBuilderTests.TwoLevelFixtureConfig());
        var report = ModelWeights.Load(grown, small.state_dict().ToDictionary(p => "inner_unet." + p.Key, p => p.Value), strict: false);
        Assert.Empty(report.Unexpected);

        using var scope = NewDisposeScope();
        var (inputs, t, text, mask) = Inputs();
        using var inference = inference_mode();
        var alone = small.Forward(new[] { inputs[1] }, t, text, mask);
        var nested = grown.Forward(inputs, t, text, mask);
        TensorAssert.Close(alone[0], nested[1], 0, "low-resolution output unchanged");
        TensorAssert.Close(zeros_like(nested[0]), nested[0], 0, "high-resolution output zero");
    }

    [Fact]
    public void Bad_inputs_get_clear_errors()
    {
        using var model = RandomModel(8);
        using var scope = NewDisposeScope();
        var (inputs, t, text, mask) = Inputs();
        Assert.Throws<ArgumentException>(() => model.Forward(new[] { inputs[0] }, t, text, mask));
        Assert.Throws<ArgumentException>(() => model.Forward(new[] { inputs[1], inputs[0] }, t, text, mask));
        Assert.Throws<ArgumentNullException>(() => model.Forward(inputs, t));
        Assert.Throws<ArgumentException>(() => model.Forward(inputs, t, text.narrow(2, 0, 40), mask));
        Assert.Throws<ArgumentException>(() => model.Forward(inputs, t.to(ScalarType.Float32), text, mask));
        Assert.Throws<ArgumentException>(() => model.Forward(inputs, t, text, zeros_like(mask)));
    }
}
