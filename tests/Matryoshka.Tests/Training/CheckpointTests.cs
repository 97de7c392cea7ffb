using Matryoshka.Tests.Support;
using Matryoshka.Training;
using Matryoshka.Training.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

public class CheckpointTests
{
    private static TrainerOptions Options() => new() { LearningRate = 1e-3, Seed = 21, EmaDecay = 0.9, WarmupSteps = 4 };

    private static TrainingCheckpointInfo Info(long step) => new() { Step = step, DataEpoch = 1, DataOffset = 7, Configuration = "tiny" };

    private static void SaveState(TrainingCheckpointStore store, Trainer trainer, long step)
    {
        var state = trainer.CaptureState();
        using (state.Tensors[TrainerState.GeneratorKey]) store.Save(state, Info(step));
    }

    [Fact]
    public void Resuming_from_a_checkpoint_continues_bit_exactly()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        var images = TinyTraining.Images(4, 1);
        var text = TinyTraining.Text(4, 2);
        using var straight = TinyTraining.Model();
        using var interrupted = TinyTraining.Model(straight);
        using var straightTrainer = new Trainer(straight, TinyTraining.Schedule(), Options());
        for (int i = 0; i < 6; i++) straightTrainer.Step(images, text);

        var store = new TrainingCheckpointStore(folder.Path);
        using (var first = new Trainer(interrupted, TinyTraining.Schedule(), Options()))
        {
            for (int i = 0; i < 3; i++) first.Step(images, text);
            SaveState(store, first, 3);
        }

        using var resumed = TinyTraining.Model(); // different initial weights: everything must come from the checkpoint
        using var checkpoint = store.LoadNewest(fallBack: false)!;
        Assert.Equal(3, checkpoint.Info.Step);
        Assert.Equal(7, checkpoint.Info.DataOffset);
        Assert.Equal("tiny", checkpoint.Info.Configuration);
        using var resumedTrainer = new Trainer(resumed, TinyTraining.Schedule(), Options() with { Seed = 999 });
        resumedTrainer.RestoreState(checkpoint.Tensors, checkpoint.Counters);
        for (int i = 0; i < 3; i++) resumedTrainer.Step(images, text);

        Assert.True(TinyTraining.SameWeights(straight, resumed));
        Assert.Equal(straightTrainer.OptimizerSteps, resumedTrainer.OptimizerSteps);
        foreach (var (key, value) in straightTrainer.Ema.Weights) Assert.True(value.Identical(resumedTrainer.Ema.Weights[key]), key);
    }

    [Fact]
    public void A_truncated_or_corrupt_checkpoint_is_refused_and_resume_falls_back_to_the_previous_one()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        using var model = TinyTraining.Model();
        using var trainer = new Trainer(model, TinyTraining.Schedule(), Options());
        var store = new TrainingCheckpointStore(folder.Path, keep: 5);
        SaveState(store, trainer, 1);
        SaveState(store, trainer, 2);
        var newest = store.List()[^1];
        var tensors = Path.ChangeExtension(newest, ".safetensors");

        var bytes = File.ReadAllBytes(tensors);
        File.WriteAllBytes(tensors, bytes[..(bytes.Length / 2)]);
        var truncated = Assert.Throws<TrainingCheckpointException>(() => TrainingCheckpointStore.Load(newest));
        Assert.Contains("truncated", truncated.Message);

        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(tensors, bytes);
        var corrupt = Assert.Throws<TrainingCheckpointException>(() => TrainingCheckpointStore.Load(newest));
        Assert.Contains("SHA-256", corrupt.Message);

        Assert.Throws<TrainingCheckpointException>(() => store.LoadNewest(fallBack: false));
        var rejected = new List<string>();
        using var previous = store.LoadNewest(fallBack: true, e => rejected.Add(e.FilePath));
        Assert.Equal(1, previous!.Info.Step);
        Assert.Single(rejected);

        File.WriteAllText(newest, "{ not json");
        Assert.Throws<TrainingCheckpointException>(() => TrainingCheckpointStore.Load(newest));
    }

    [Fact]
    public void Only_the_newest_checkpoints_are_kept_and_interrupted_writes_are_cleaned_up()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        using var model = TinyTraining.Model();
        using var trainer = new Trainer(model, TinyTraining.Schedule(), Options());
        File.WriteAllText(folder.File(".checkpoint-000000009.safetensors.abc.tmp"), "torn");
        var store = new TrainingCheckpointStore(folder.Path, keep: 2);
        Assert.False(File.Exists(folder.File(".checkpoint-000000009.safetensors.abc.tmp")));
        for (long step = 10; step <= 40; step += 10) SaveState(store, trainer, step);
        Assert.Equal(new[] { "checkpoint-000000030.json", "checkpoint-000000040.json" }, store.List().Select(Path.GetFileName));
        Assert.Equal(2, Directory.GetFiles(folder.Path, "*.safetensors").Length);
    }

    [Fact]
    public void A_state_from_another_model_is_refused()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        using var model = TinyTraining.Model();
        using var trainer = new Trainer(model, TinyTraining.Schedule(), Options());
        var store = new TrainingCheckpointStore(folder.Path);
        SaveState(store, trainer, 1);
        using var checkpoint = store.LoadNewest()!;
        var partial = checkpoint.Tensors.Where(p => !p.Key.StartsWith("ema.conv_out")).ToDictionary(p => p.Key, p => p.Value);
        var error = Assert.Throws<TrainingStateException>(() => trainer.RestoreState(partial, checkpoint.Counters));
        Assert.Contains("missing", error.Message);
    }
}
