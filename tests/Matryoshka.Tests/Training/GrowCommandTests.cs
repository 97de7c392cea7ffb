using Matryoshka.Cli.Commands;
using Matryoshka.IO.Weights;
using Matryoshka.IO;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Matryoshka.Training.Checkpoints;
using Matryoshka.Training.Runs;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

public class GrowCommandTests
{
    private static readonly string Configs = Path.Combine(AppContext.BaseDirectory, "samples", "configs");

    private static int Grow(string from, string to, string output, bool raw = false) =>
        GrowCommand.Run(from, to, output, raw, null, 0, new StringWriter(), new StringWriter());

    /// <summary>The innermost level of <paramref name="config"/> with random weights (zero adapters would hide mistakes), saved to <paramref name="path"/>.</summary>
    internal static NestedUNet SaveRandomInnermost(string config, string path)
    {
        var small = new NestedUNet(ModelStages.Innermost(ModelConfigFiles.Load(config), 1));
        using (no_grad()) foreach (var p in small.parameters()) p.copy_(randn_like(p));
        ModelWeights.Save(small, path);
        return small;
    }

    [Fact]
    public void Weights_go_into_inner_unet_and_the_new_output_layer_is_zero()
    {
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        var target = Path.Combine(Configs, "tiny-two-level.model.yaml");
        using var small = SaveRandomInnermost(target, temp.File("small.safetensors"));

        Assert.Equal(0, Grow(temp.File("small.safetensors"), target, temp.File("grown.safetensors")));
        var grown = SafetensorsReader.Load(temp.File("grown.safetensors"));
        foreach (var (key, value) in small.state_dict()) Assert.True(grown["inner_unet." + key].Identical(value), key);
        Assert.Equal(0f, grown["conv_out.weight"].abs().max().item<float>());

        Assert.Equal(GrowCommand.Refused, Grow(temp.File("small.safetensors"), Path.Combine(Configs, "fashion-mnist.model.yaml"), temp.File("bad.safetensors")));
        Assert.False(File.Exists(temp.File("bad.safetensors")));
    }

    [Fact]
    public void From_a_training_checkpoint_the_ema_weights_are_grown_by_default()
    {
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        var config = TinyRunConfig.Write(temp.Path, stageSteps: 3, checkpointEvery: 3);
        Assert.Equal(0, TrainCommand.Run(config, temp.File("run"), false, 3, null, true, new StringWriter(), new StringWriter(), CancellationToken.None));
        var record = new TrainingCheckpointStore(temp.File("run/checkpoints")).List()[^1];
        using var checkpoint = TrainingCheckpointStore.Load(record);

        Assert.Equal(0, Grow(record, Path.Combine(Configs, "tiny-two-level.model.yaml"), temp.File("ema.safetensors")));
        Assert.Equal(0, Grow(record, Path.Combine(Configs, "tiny-two-level.model.yaml"), temp.File("raw.safetensors"), raw: true));
        var ema = SafetensorsReader.Load(temp.File("ema.safetensors"));
        var raw = SafetensorsReader.Load(temp.File("raw.safetensors"));
        foreach (var (key, value) in checkpoint.EmaWeights()) Assert.True(ema["inner_unet." + key].Identical(value), key);
        foreach (var (key, value) in checkpoint.ModelWeights()) Assert.True(raw["inner_unet." + key].Identical(value), key);
        Assert.False(ema["inner_unet.conv_in.weight"].Identical(raw["inner_unet.conv_in.weight"]));
    }
}
