using Matryoshka.Cli.Commands;
using Matryoshka.IO.Weights;
using Matryoshka.IO;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

/// <summary>models/emoji-64 grown into samples/configs/emoji-256.model.yaml with <c>matryoshka grow</c> (issue 23).</summary>
public class ShippedModelGrowthTests
{
    private const int TextWidth = 384; // all-MiniLM-L6-v2
    private static readonly string Shipped = Path.Combine(AppContext.BaseDirectory, "models", "emoji-64");
    private static readonly string Target = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "emoji-256.model.yaml");

    [Fact]
    public void The_grown_model_draws_the_shipped_64_and_16_outputs_bit_for_bit_and_a_zero_256_output()
    {
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        var stdout = new StringWriter();
        int code = GrowCommand.Run(Path.Combine(Shipped, "ema.safetensors"), Target, temp.File("grown.safetensors"), raw: false, TextWidth, seed: 0, stdout, stdout);
        Assert.True(code == 0, stdout.ToString());

        using var small = new NestedUNet(ModelConfigFiles.Load(Path.Combine(Shipped, "model.yaml"), TextWidth));
        ModelWeights.Load(small, Path.Combine(Shipped, "ema.safetensors"));
        using var grown = new NestedUNet(ModelConfigFiles.Load(Target, TextWidth));
        ModelWeights.Load(grown, temp.File("grown.safetensors"));
        Assert.Equal(new[] { 256, 64, 16 }, grown.Plan.Resolutions);

        // ml-mdm's zero-initialised layers of a new level are what make growth function-preserving: the adapters (no
        // feature reaches the inner level, nothing comes back) and the output convolution (the new output is zero).
        foreach (var key in new[] { "in_adapter.weight", "in_adapter.bias", "out_adapter.weight", "out_adapter.bias", "conv_out.weight", "conv_out.bias" })
            Assert.True(grown.state_dict()[key].count_nonzero().item<long>() == 0, key);

        using var generator = new TorchSharp.torch.Generator(23);
        var x256 = randn(new long[] { 3, 3, 256, 256 }, generator: generator);
        var x64 = randn(new long[] { 3, 3, 64, 64 }, generator: generator);
        var x16 = randn(new long[] { 3, 3, 16, 16 }, generator: generator);
        var t = tensor(new long[] { 20, 500, 980 });
        var text = randn(new long[] { 3, 8, TextWidth }, generator: generator);
        var mask = tensor(new float[,] { { 1, 1, 1, 1, 1, 1, 1, 1 }, { 1, 1, 1, 0, 0, 0, 0, 0 }, { 1, 1, 1, 1, 1, 0, 0, 0 } });
        using var noGrad = no_grad();
        var before = small.Forward(new[] { x64, x16 }, t, text, mask);
        var after = grown.Forward(new[] { x256, x64, x16 }, t, text, mask);
        var otherInput = grown.Forward(new[] { x256 * 3 + 1, x64, x16 }, t, text, mask);

        Assert.True(after[1].Identical(before[0]), $"64² output moved by {(after[1] - before[0]).abs().max().item<float>()}");
        Assert.True(after[2].Identical(before[1]), $"16² output moved by {(after[2] - before[1]).abs().max().item<float>()}");
        Assert.Equal(0f, after[0].abs().max().item<float>());
        // Whatever the 256² input, the inner levels see none of it yet and the 256² output stays zero.
        for (int level = 0; level < 3; level++) Assert.True(otherInput[level].Identical(after[level]), $"level {level}");
    }
}
