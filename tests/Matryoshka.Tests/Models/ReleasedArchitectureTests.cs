using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Models;

/// <summary>The released architectures, built on the meta device (no weights allocated), against ml-mdm's counts.</summary>
public class ReleasedArchitectureTests
{
    public static TheoryData<string, long, int> Released => new()
    {
        { "64", 461_359_107, 713 },
        { "256", 476_613_958, 889 },
        { "1024", 480_970_057, 1063 },
    };

    private static ModelConfig Config(string name) => name switch
    {
        "64" => MlMdmArchitectures.Cc12m64(),
        "256" => MlMdmArchitectures.Cc12m256(),
        _ => MlMdmArchitectures.Cc12m1024(),
    };

    [Theory, MemberData(nameof(Released))]
    public void Parameter_and_tensor_counts_match_ml_mdm(string name, long parameters, int tensors)
    {
        using var model = new NestedUNet(Config(name), META);
        Assert.Equal(parameters, model.parameters().Sum(p => p.numel()));
        Assert.Equal(tensors, model.state_dict().Count);
        Assert.All(model.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
        var file = name switch { "64" => "cc12m_64x64", "256" => "cc12m_256x256", _ => "cc12m_1024x1024" };
        var expected = File.ReadAllLines(Fixtures.MlMdm("released", file + ".keys.txt")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(expected, model.state_dict().Select(p => $"{p.Key}\t[{string.Join(",", p.Value.shape)}]").ToArray());
    }

    [Fact]
    public void The_1024_model_has_the_per_level_sizes_of_ml_mdm()
    {
        using var model = new NestedUNet(MlMdmArchitectures.Cc12m1024(), META);
        long Level(string prefix, string? innerPrefix) => model.state_dict()
            .Where(p => p.Key.StartsWith(prefix) && (innerPrefix is null || !p.Key.StartsWith(innerPrefix)))
            .Sum(p => p.Value.numel());
        Assert.Equal(4_356_099, Level("", "inner_unet."));
        Assert.Equal(15_254_851, Level("inner_unet.", "inner_unet.inner_unet."));
        Assert.Equal(461_359_107, Level("inner_unet.inner_unet.", null));
        Assert.Equal(new[] { 1024, 256, 64 }, model.Plan.Resolutions);
        Assert.True(model.Plan.Levels[1].NormalizesInput);
        Assert.False(model.Plan.Levels[0].NormalizesInput);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void Narrowed_models_keep_the_layout_and_divide_every_width(int divisor)
    {
        using var full = new NestedUNet(MlMdmArchitectures.Cc12m1024(), META);
        using var narrow = new NestedUNet(MlMdmArchitectures.Cc12m1024(widthDivisor: divisor), META);
        var shapes = full.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        Assert.Equal(shapes.Keys, narrow.state_dict().Keys);
        // Every weight matrix shrinks by the divisor on each dimension that was a channel width, except the image
        // channels (3) and the text width (2048, the encoder's): a conv weight [out, in, k, k] below, for example.
        var conv = "inner_unet.down_blocks.0.resnets.0.conv1.weight";
        Assert.Equal(new[] { shapes[conv][0] / divisor, shapes[conv][1] / divisor, 3L, 3L }, narrow.state_dict()[conv].shape);
        Assert.Equal(shapes["conv_in.weight"][0] / divisor, narrow.state_dict()["conv_in.weight"].shape[0]);
        Assert.Equal(2048, narrow.state_dict()["inner_unet.inner_unet.lm_proj.weight"].shape[1]);
        Assert.Equal(2048 / divisor, narrow.state_dict()["inner_unet.inner_unet.lm_proj.weight"].shape[0]);
        Assert.Equal(new[] { 1024, 256, 64 }, narrow.Plan.Resolutions);
        using var narrow256 = new NestedUNet(MlMdmArchitectures.Cc12m256(widthDivisor: divisor), META);
        Assert.Equal(new[] { 256, 64 }, narrow256.Plan.Resolutions);
        Assert.Equal(64 / divisor, narrow256.state_dict()["conv_in.weight"].shape[0]);
    }
}
