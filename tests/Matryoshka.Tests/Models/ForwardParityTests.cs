using Matryoshka.IO.Weights;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Models;

/// <summary>The model built from the fixtures' config.json, with ml-mdm's weights, against ml-mdm's own forward pass.</summary>
public class ForwardParityTests
{
    public static TheoryData<string> Cases => new() { "two_level", "three_level", "temporal_two_level" };

    internal static NestedUNet BuildWithWeights(MlMdmFixture fixture, Func<ModelConfig, ModelConfig>? edit = null)
    {
        var config = MlMdmModelConfig.FromJsonFile(Path.Combine(fixture.Directory, "config.json"));
        var model = new NestedUNet(edit is null ? config : edit(config));
        var report = ModelWeights.Load(model, Path.Combine(fixture.Directory, "weights.safetensors"));
        Assert.True(report.IsExact);
        model.eval();
        return model;
    }

    [Theory, MemberData(nameof(Cases))]
    public void State_dict_keys_and_shapes_equal_ml_mdm_in_order(string name)
    {
        var fixture = MlMdmFixture.Open(name);
        using var model = new NestedUNet(MlMdmModelConfig.FromJsonFile(Path.Combine(fixture.Directory, "config.json")));
        var expected = File.ReadAllLines(Path.Combine(fixture.Directory, "weights.keys.txt")).Where(l => l.Length > 0).ToArray();
        var actual = model.state_dict().Select(p => $"{p.Key}\t[{string.Join(",", p.Value.shape)}]").ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(fixture.Config.GetProperty("weights").GetProperty("num_parameters").GetInt64(), model.parameters().Sum(p => p.numel()));
    }

    [Theory, MemberData(nameof(Cases))]
    public void Every_level_matches_ml_mdm_forward(string name)
    {
        var fixture = MlMdmFixture.Open(name);
        using var model = BuildWithWeights(fixture);
        using var scope = NewDisposeScope();
        var tensors = fixture.Load("forward.safetensors");
        int levels = fixture.LevelResolutions.Length;
        var inputs = Enumerable.Range(0, levels).Select(l => tensors[$"x_t.{l}"]).ToArray();

        using var inference = inference_mode();
        var outputs = model.Forward(inputs, tensors["t"], tensors["lm_outputs"], tensors["lm_mask"]);

        Assert.Equal(levels, outputs.Length);
        for (int l = 0; l < levels; l++)
            TensorAssert.Close(tensors[$"out.{l}"], outputs[l], 1e-5, $"out.{l}");
    }
}
