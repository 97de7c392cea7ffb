using Matryoshka.IO.Weights;
using Matryoshka.Models;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Models;

public class ModelBuilderTests
{
    /// <summary>The two_level fixture's architecture, written with the builder (stages low → high).</summary>
    internal static ModelConfig TwoLevelFixtureConfig() => NestedUNetBuilder.Create()
        .AddStage(16, s => s.Channels(32, 64).ResNets(1).Attention(1).TextProjection(64).MaskedCrossAttention(false)
            .MicroConditioning().ResNet(attentionFeedForward: true))
        .AddStage(32, s => s.Channels(32, 64).ResNets(1).TemporalDim(128).MicroConditioning().NormalizeInput(false))
        .WithTextEmbeddingDim(48)
        .Build();

    [Fact]
    public void Builder_reproduces_the_two_level_fixture_keys_and_outputs()
    {
        var fixture = MlMdmFixture.Open("two_level");
        using var model = new NestedUNet(TwoLevelFixtureConfig());
        var expectedKeys = File.ReadAllLines(Path.Combine(fixture.Directory, "weights.keys.txt")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(expectedKeys, model.state_dict().Select(p => $"{p.Key}\t[{string.Join(",", p.Value.shape)}]").ToArray());

        ModelWeights.Load(model, Path.Combine(fixture.Directory, "weights.safetensors"));
        using var scope = NewDisposeScope();
        var tensors = fixture.Load("forward.safetensors");
        using var inference = inference_mode();
        var outputs = model.Forward(new[] { tensors["x_t.0"], tensors["x_t.1"] }, tensors["t"], tensors["lm_outputs"], tensors["lm_mask"]);
        TensorAssert.Close(tensors["out.0"], outputs[0], 1e-5, "out.0");
        TensorAssert.Close(tensors["out.1"], outputs[1], 1e-5, "out.1");
    }

    [Fact]
    public void Plan_resolves_levels_like_ml_mdm()
    {
        var plan = TwoLevelFixtureConfig().Plan();
        Assert.Equal(new[] { 32, 16 }, plan.Resolutions);
        Assert.Equal(new[] { 2, 1 }, plan.Levels.Select(l => l.Scale));
        Assert.Equal("inner_unet.", plan.Levels[1].KeyPrefix);
        Assert.Equal(48, plan.Levels[0].ConditioningDim);
        Assert.Equal(64, plan.Levels[1].ConditioningDim);
        Assert.Equal(48, plan.Levels[1].ConditioningInputDim);
        Assert.True(plan.Innermost.HasLmProj);
        Assert.False(plan.Levels[0].HasCondEmb);
        Assert.Equal(128, plan.Levels[1].TemporalDim);
    }

    [Fact]
    public void Stages_that_do_not_nest_are_refused()
    {
        var error = Assert.Throws<ModelConfigurationException>(() => NestedUNetBuilder.Create()
            .AddStage(16, s => s.Channels(32, 64))
            .AddStage(64, s => s.Channels(32, 64))
            .Build());
        Assert.Contains("stage 64", error.Message);
        Assert.Throws<ModelConfigurationException>(() => NestedUNetBuilder.Create().Build());
    }

    [Fact]
    public void Group_count_that_does_not_divide_channels_is_refused_at_build_naming_the_level()
    {
        var config = NestedUNetBuilder.Create()
            .AddStage(16, s => s.Channels(32, 48).ResNet(groups: 32))
            .Build();
        var error = Assert.Throws<ModelConfigurationException>(() => new NestedUNet(config, META));
        Assert.Equal("unet_config.resnet_config.num_groups_norm", error.Field);
        Assert.Contains("48", error.Message);
    }

    [Fact]
    public void Time_widths_that_cannot_take_the_shared_text_embedding_are_refused_before_running()
    {
        var config = TwoLevelFixtureConfig();
        var broken = config with { UNet = config.UNet with { TemporalDim = 64 } };
        using var model = new NestedUNet(broken, META);   // ml-mdm builds such models (and saves their checkpoints) …
        var error = Assert.Throws<ModelConfigurationException>(() => broken.Plan().EnsureRunnable());   // … but cannot run them
        Assert.Equal("unet_config.temporal_dim", error.Field);
        Assert.Contains("128", error.Message);
    }

    [Fact]
    public void Mismatched_per_resolution_lists_are_refused_naming_the_field()
    {
        var config = TwoLevelFixtureConfig();
        var broken = config with { UNet = config.UNet with { Inner = config.UNet.Inner! with { NumResnetsPerResolution = new[] { 1, 1, 1 } } } };
        var error = Assert.Throws<ModelConfigurationException>(() => broken.Plan());
        Assert.Equal("unet_config.inner_config.num_resnets_per_resolution", error.Field);
        Assert.Contains("[1, 1, 1]", error.Message);
    }

    [Fact]
    public void Readme_builder_example_builds_and_runs()
    {
        var small = NestedUNetBuilder.Create()
            .AddStage(64, s => s.Channels(64, 128, 192).Attention(1).Attention(2, 2).TextProjection(512).MicroConditioning())
            .AddStage(256, s => s.Channels(32, 64, 128).ResNets(2, 2, 1).MicroConditioning())
            .WithTextEmbeddingDim(512)
            .Build();
        using var model = new NestedUNet(small, CPU, ScalarType.Float32);
        Assert.Equal(new[] { 256, 64 }, model.Plan.Resolutions);
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var outputs = model.Forward(new[] { zeros(1, 3, 256, 256), zeros(1, 3, 64, 64) }, tensor(new long[] { 10 }), zeros(1, 4, 512), ones(1, 4));
        Assert.Equal(new long[] { 1, 3, 256, 256 }, outputs[0].shape);
        Assert.Equal(new long[] { 1, 3, 64, 64 }, outputs[1].shape);
    }
}
