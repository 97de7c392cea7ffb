using Matryoshka.IO;
using Matryoshka.Tests.Support;
using Matryoshka.Training;
using Matryoshka.Training.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

/// <summary><see cref="CheckpointWeights"/> and <see cref="ModelGrowthFiles"/>, called directly.</summary>
public class CheckpointWeightsTests
{
    private static readonly string Configs = Path.Combine(AppContext.BaseDirectory, "samples", "configs");

    [Fact]
    public void A_checkpoint_gives_its_ema_or_trained_weights_and_frees_the_rest()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        using var model = TinyTraining.Model();
        using var trainer = new Trainer(model, TinyTraining.Schedule(), new TrainerOptions { LearningRate = 1e-3, Seed = 21, EmaDecay = 0.9, WarmupSteps = 4 });
        for (int i = 0; i < 3; i++) trainer.Step(TinyTraining.Images(4, 1), TinyTraining.Text(4, 2));
        var state = trainer.CaptureState();
        string record;
        using (state.Tensors[TrainerState.GeneratorKey]) record = new TrainingCheckpointStore(folder.Path).Save(state, new TrainingCheckpointInfo { Step = 3 });

        var ema = CheckpointWeights.Load(record);
        var trained = CheckpointWeights.LoadFile(record, CheckpointWeightsKind.Trained);

        Assert.Equal(model.state_dict().Keys.Order(StringComparer.Ordinal), ema.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in model.state_dict()) Assert.True(trained[key].Identical(value), key);
        foreach (var (key, value) in trainer.Ema.Weights) Assert.True(ema[key].Identical(value), key);
        Assert.False(ema.Keys.All(key => ema[key].Identical(trained[key])));
        Assert.True(CheckpointWeights.IsCheckpointRecord(record));
        Assert.False(CheckpointWeights.IsCheckpointRecord("ema.safetensors"));
    }

    [Fact]
    public void Growing_files_puts_the_smaller_model_into_inner_unet_and_counts_the_tensors()
    {
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        var target = Path.Combine(Configs, "tiny-two-level.model.yaml");
        using var small = GrowCommandTests.SaveRandomInnermost(target, temp.File("small.safetensors"));

        manual_seed(0);
        var result = ModelGrowthFiles.Grow(temp.File("small.safetensors"), target, temp.File("grown.safetensors"));

        var grown = SafetensorsReader.Load(temp.File("grown.safetensors"));
        Assert.Equal(small.state_dict().Count, result.SourceTensors);
        Assert.Equal(grown.Count, result.WrittenTensors);
        Assert.True(result.WrittenTensors > result.SourceTensors);
        foreach (var (key, value) in small.state_dict()) Assert.True(grown["inner_unet." + key].Identical(value), key);
        Assert.Equal(0f, grown["conv_out.weight"].abs().max().item<float>());
        Assert.Throws<ModelConfigurationException>(() =>
            ModelGrowthFiles.Grow(temp.File("small.safetensors"), Path.Combine(Configs, "fashion-mnist.model.yaml"), temp.File("bad.safetensors")));
        Assert.False(File.Exists(temp.File("bad.safetensors")));
    }
}
