using Matryoshka.IO.Weights;
using Matryoshka.IO;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Models;

/// <summary>ml-mdm trainer checkpoints (.pth) load straight into the model built from their config.</summary>
public class CheckpointModelTests
{
    [Theory]
    [InlineData("vis_model_001234.pth")]
    [InlineData("vis_model_legacy.pth")]
    public void Pth_checkpoint_loads_strictly_and_bit_identically(string file)
    {
        using var model = new NestedUNet(ModelConfigFiles.Load(Fixtures.MlMdm("checkpoint_pth", "config.json")));
        var report = ModelWeights.Load(model, Fixtures.MlMdm("checkpoint_pth", file));
        Assert.True(report.IsExact);
        Assert.Equal(239, report.Loaded);

        using var scope = NewDisposeScope();
        var expected = SafetensorsReader.Load(Fixtures.MlMdm("checkpoint_pth", "expected_state_dict.safetensors"));
        foreach (var (key, value) in model.state_dict())
            TensorAssert.Close(expected[key], value, 0, key);
    }

    [Fact]
    public void Hostile_checkpoint_is_refused_when_loading_weights()
    {
        using var model = new NestedUNet(ModelConfigFiles.Load(Fixtures.MlMdm("checkpoint_pth", "config.json")));
        var marker = "/tmp/pwned_marker";
        if (File.Exists(marker)) File.Delete(marker);
        Assert.ThrowsAny<MatryoshkaException>(() => ModelWeights.Load(model, Fixtures.MlMdm("checkpoint_pth", "hostile_os_system.pth")));
        Assert.False(File.Exists(marker));
    }
}
