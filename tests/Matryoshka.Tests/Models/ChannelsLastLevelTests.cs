using Matryoshka.Models;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Models;

/// <summary>
/// Levels of 128² and more run channels-last on the CPU when no gradients are taken (oneDNN's native layout;
/// NestedUNet.UsesChannelsLast): their outputs must equal the float64 reference as the NCHW path does, and come back in
/// NCHW; with gradients (NCHW) outputs and weight gradients agree too.
/// </summary>
public sealed class ChannelsLastLevelTests
{
    [Fact]
    public void A_channels_last_level_matches_float64_in_outputs_and_gradients()
    {
        using var scope = NewDisposeScope();
        var config = NestedUNetBuilder.Create()
            .AddStage(64, s => s.Channels(32, 32).ResNets(1).TextProjection(32).MicroConditioning())
            .AddStage(128, s => s.Channels(16, 32).ResNets(2, 1).TemporalDim(128).MicroConditioning().ResNet(groups: 16).NormalizeInput(false))
            .WithTextEmbeddingDim(32)
            .Build();
        using var single = new NestedUNet(config, CPU, ScalarType.Float32);
        var generator = new Generator(11);
        using (no_grad())
            foreach (var p in single.parameters()) p.copy_(randn(p.shape, generator: generator) * 0.2);
        using var reference = new NestedUNet(config, CPU, ScalarType.Float64);
        reference.load_state_dict(single.state_dict().ToDictionary(p => p.Key, p => p.Value.to(ScalarType.Float64)));

        var noisy = new[] { randn(new long[] { 2, 3, 128, 128 }, generator: generator), randn(new long[] { 2, 3, 64, 64 }, generator: generator) };
        var timesteps = tensor(new long[] { 100, 700 });
        var text = randn(new long[] { 2, 5, 32 }, generator: generator);
        var mask = ones(2, 5);

        void Agree(Tensor[] outputs, Tensor[] expected, string mode)
        {
            if (mode == "inference") Assert.True(outputs[0].is_contiguous(), "the 128² output is handed back in NCHW");
            for (int level = 0; level < 2; level++)
            {
                double scale = expected[level].abs().max().item<double>();
                double error = (outputs[level].to(ScalarType.Float64) - expected[level]).abs().max().item<double>();
                Assert.True(error <= 1e-4 * scale, $"{mode}, level {level}: max error {error:G3} of max |value| {scale:G3}");
            }
        }
        var noisy64 = noisy.Select(n => n.to(ScalarType.Float64)).ToArray();
        using (inference_mode())
        {
            // The channels-last path: the level's first convolution sees an NHWC input.
            bool sawChannelsLast = false;
            var hook = single.named_modules().Single(m => m.name == "conv_in").module is Matryoshka.Models.Blocks.SafeConvolution conv
                ? conv.register_forward_pre_hook((_, x) => { sawChannelsLast = x.stride(1) == 1; return null!; })
                : throw new InvalidOperationException("no conv_in");
            Agree(single.Forward(noisy, timesteps, text, mask), reference.Forward(noisy64, timesteps, text.to(ScalarType.Float64), mask.to(ScalarType.Float64)), "inference");
            Assert.True(sawChannelsLast, "the 128² level ran channels-last");
            hook.remove();
        }
        var outputs = single.Forward(noisy, timesteps, text, mask);
        var expected = reference.Forward(noisy64, timesteps, text.to(ScalarType.Float64), mask.to(ScalarType.Float64));
        Agree(outputs, expected, "training");

        outputs[0].square().mean().backward();
        expected[0].square().mean().backward();
        var gradients = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        foreach (var (name, parameter) in single.named_parameters().Where(p => p.parameter.grad is not null))
        {
            var want = gradients[name];
            double scale = want.abs().max().item<double>() + 1e-12;
            double error = (parameter.grad!.to(ScalarType.Float64) - want).abs().max().item<double>();
            Assert.True(error <= 1e-3 * scale + 1e-7, $"{name}: gradient error {error:G3} of max {scale:G3}"); // a bias before a norm has a zero gradient
        }
    }
}
