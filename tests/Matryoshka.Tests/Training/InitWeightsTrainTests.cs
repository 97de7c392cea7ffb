using Matryoshka.Cli.Commands;
using Matryoshka.IO.Weights;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Training.Configuration;
using Matryoshka.IO;
using Matryoshka.Models;
using Matryoshka.Training;
using Matryoshka.Training.Checkpoints;
using Matryoshka.Training.Runs;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

/// <summary>
/// <c>matryoshka train</c> starting from trained weights (init_weights), growing them into the configured model: the
/// inner level frozen (with compact checkpoints) or trained at a lower rate; resume stays bit-exact.
/// </summary>
public class InitWeightsTrainTests
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");
    private static readonly string ModelConfig = Path.Combine(Samples, "configs", "tiny-two-level.model.yaml");

    // The tiny config's 16² level with random weights, standing in for a trained smaller model.
    private static string SmallWeights(string folder, ulong seed = 7)
    {
        using var scope = NewDisposeScope();
        using var small = new NestedUNet(ModelStages.Innermost(ModelConfigFiles.Load(ModelConfig), 1));
        using var generator = new Generator(seed);
        using (no_grad()) foreach (var p in small.parameters()) p.normal_(0, 0.05, generator);
        string path = Path.Combine(folder, "small.safetensors");
        ModelWeights.Save(small, path);
        return path;
    }

    private static string Config(string folder, string stage, string ema = "warmup: true, warmup_inner: false", string checkpoint = "", string? init = "small.safetensors")
    {
        string yaml = $"""
            model: {ModelConfig}
            {(init is null ? "" : "init_weights: " + init)}
            seed: 3
            data: {"{"} kind: image-folder, path: {Path.Combine(Samples, "emoji-mini")}, pixels: standard, batch_size: 4, prefetch: 2 {"}"}
            optimizer: {"{"} learning_rate: 0.002, warmup_steps: 3 {"}"}
            ema: {"{"} decay: 0.9, {ema} {"}"}
            loss: {"{"} level_weights: "1:1" {"}"}
            checkpoint: {"{"} every: 5, keep: 3{checkpoint} {"}"}
            stages:
              - {"{"} levels: 2, steps: 12, {stage} {"}"}
            """;
        string path = Path.Combine(folder, "grow.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static (int Code, string Errors) Train(string config, string folder, bool resume = false, long? maxSteps = null)
    {
        var stderr = new StringWriter();
        int code = TrainCommand.Run(config, folder, resume, maxSteps, maxTime: null, plain: true, new StringWriter(), stderr, CancellationToken.None);
        return (code, stderr.ToString());
    }

    // A run of the frozen, compact-checkpoint kind, stopped after some steps in temp/run; returns its configuration.
    private static string CompactRun(TempFolder temp, long steps)
    {
        SmallWeights(temp.Path);
        var config = Config(temp.Path, "freeze_inner: true", checkpoint: ", omit_frozen: true");
        Assert.Equal(0, Train(config, temp.File("run"), maxSteps: steps).Code);
        return config;
    }

    private static string NewestRecord(string folder) => new TrainingCheckpointStore(Path.Combine(folder, "checkpoints")).List()[^1];

    [Theory]
    [InlineData("freeze_inner: true", ", omit_frozen: true")]
    [InlineData("inner_learning_rate_scale: 0.1", "")]
    public void Stopping_and_resuming_a_run_grown_from_init_weights_gives_bit_identical_results(string stage, string checkpoint)
    {
        using var temp = new TempFolder();
        SmallWeights(temp.Path);
        var config = Config(temp.Path, stage, checkpoint: checkpoint);
        string straight = temp.File("straight"), interrupted = temp.File("interrupted");

        Assert.Equal(0, Train(config, straight).Code);
        Assert.Equal(0, Train(config, interrupted, maxSteps: 7).Code);
        Assert.Equal(0, Train(config, interrupted, resume: true, maxSteps: 10).Code);
        Assert.Equal(0, Train(config, interrupted, resume: true).Code);

        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "ema.safetensors")), File.ReadAllBytes(Path.Combine(interrupted, "ema.safetensors")));
        Assert.Equal(File.ReadAllBytes(Path.ChangeExtension(NewestRecord(straight), ".safetensors")),
            File.ReadAllBytes(Path.ChangeExtension(NewestRecord(interrupted), ".safetensors")));
        Assert.Equal(File.ReadAllLines(Path.Combine(straight, "loss.csv")), File.ReadAllLines(Path.Combine(interrupted, "loss.csv")));
    }

    [Fact]
    public void A_compact_checkpoint_leaves_out_the_frozen_initial_weights_and_puts_them_back_when_read()
    {
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        var small = SafetensorsReader.Load(SmallWeights(temp.Path));
        var config = Config(temp.Path, "freeze_inner: true", checkpoint: ", omit_frozen: true");
        Assert.Equal(0, Train(config, temp.File("run")).Code);

        var stored = SafetensorsReader.ReadHeader(Path.ChangeExtension(NewestRecord(temp.File("run")), ".safetensors")).Tensors.Select(t => t.Name).ToList();
        Assert.DoesNotContain(stored, name => name.StartsWith("model.inner_unet.", StringComparison.Ordinal) || name.StartsWith("ema.inner_unet.", StringComparison.Ordinal));
        Assert.Contains("model.conv_out.weight", stored);
        Assert.DoesNotContain(stored, name => name.StartsWith("adam.m.inner_unet.", StringComparison.Ordinal)); // frozen: no moments either

        // Readers see the whole state: the exported EMA holds the frozen inner level, unchanged.
        var ema = SafetensorsReader.Load(temp.File("run/ema.safetensors"));
        foreach (var (key, value) in small) Assert.True(ema["inner_unet." + key].Identical(value), key);
        using var checkpoint = TrainingCheckpointStore.Load(NewestRecord(temp.File("run")));
        foreach (var (key, value) in small) Assert.True(checkpoint.Tensors["model.inner_unet." + key].Identical(value), key);
    }

    [Fact]
    public void A_compact_checkpoint_moved_away_from_its_initial_weights_converts_with_a_copy_of_them()
    {
        using var temp = new TempFolder();
        CompactRun(temp, steps: 5);
        Directory.CreateDirectory(temp.File("elsewhere"));
        File.Move(temp.File("small.safetensors"), temp.File("elsewhere/copy.safetensors"));
        string record = NewestRecord(temp.File("run"));

        var stderr = new StringWriter();
        Assert.Equal(ConvertCommand.InputRefused, ConvertCommand.Run(record, temp.File("ema.safetensors"), false, new StringWriter(), stderr));
        Assert.Contains("that file is missing", stderr.ToString());
        Assert.Equal(0, ConvertCommand.Run(record, temp.File("ema.safetensors"), false, new StringWriter(), new StringWriter(), initialWeights: temp.File("elsewhere/copy.safetensors")));
        Assert.Contains("inner_unet.conv_in.weight", SafetensorsReader.ReadHeader(temp.File("ema.safetensors")).Tensors.Select(t => t.Name));
    }

    [Fact]
    public void A_compact_checkpoint_is_not_resumed_with_other_initial_weights()
    {
        using var temp = new TempFolder();
        var config = CompactRun(temp, steps: 5);
        SmallWeights(temp.Path, seed: 8); // same shapes, other values

        var (code, errors) = Train(config, temp.File("run"), resume: true);
        Assert.Equal(TrainCommand.Refused, code);
        Assert.Contains("SHA-256", errors);
    }

    [Fact]
    public void Init_weights_start_the_run_exactly_where_a_model_grown_by_hand_does()
    {
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        var small = SafetensorsReader.Load(SmallWeights(temp.Path));
        var config = Config(temp.Path, "inner_learning_rate_scale: 0.5");
        using var automatic = TrainingConfiguration.Load(config).CreateRun(temp.File("automatic"));
        using var byHand = TrainingConfiguration.Load(config).CreateRun(temp.File("by-hand"));
        {
            var handOptions = byHand.Options with
            {
                InitialWeights = null,
                CreateModel = (model, stage) =>
                {
                    manual_seed(3 * 1000 + stage); // as a training configuration seeds each stage's initialisation
                    var grown = new NestedUNet(model);
                    ModelGrowth.LoadInner(grown, small);
                    return grown;
                },
            };
            // Step 0 first: the EMA starts as the loaded weights.
            new ProgressiveTrainingRun(automatic.Options).Run(maxSteps: 0);
            using (var start = TrainingCheckpointStore.Load(NewestRecord(temp.File("automatic"))))
                foreach (var (key, value) in small) Assert.True(start.Tensors["ema.inner_unet." + key].Identical(value), key);
            new ProgressiveTrainingRun(automatic.Options).Run(resume: true, maxSteps: 1);
            new ProgressiveTrainingRun(handOptions).Run(maxSteps: 1);
        }

        var first = File.ReadAllLines(temp.File("automatic/loss.csv"))[1];
        Assert.Equal(File.ReadAllLines(temp.File("by-hand/loss.csv"))[1], first);
        Assert.StartsWith("1,", first);
        Assert.Equal(File.ReadAllBytes(Path.ChangeExtension(NewestRecord(temp.File("by-hand")), ".safetensors")),
            File.ReadAllBytes(Path.ChangeExtension(NewestRecord(temp.File("automatic")), ".safetensors")));
    }

    [Theory]
    [InlineData("inner_learning_rate_scale: 0.1", "", "", "missing.safetensors", "init_weights:")]
    [InlineData("inner_learning_rate_scale: 2", "", "", "small.safetensors", "stages[0].inner_learning_rate_scale must be between 0 and 1")]
    [InlineData("freeze_inner: true, inner_learning_rate_scale: 0.1", "", "", "small.safetensors", "stages[0]: inner_learning_rate_scale with every inner level frozen")]
    [InlineData("freeze_levels: 1, inner_learning_rate_scale: 0.1", "", "", "small.safetensors", "stages[0]: inner_learning_rate_scale with every inner level frozen")]
    [InlineData("freeze_levels: 2", "", "", "small.safetensors", "stages[0].freeze_levels must be between 0 and the stage's 1 inner levels")]
    [InlineData("inner_learning_rate_scale: 0.1", "", "", null, "stages[0].inner_learning_rate_scale needs init_weights")]
    [InlineData("freeze_inner: false", "", ", omit_frozen: true", "small.safetensors", "checkpoint.omit_frozen needs")]
    [InlineData("freeze_inner: true", "warmup: false, warmup_inner: false", "", "small.safetensors", "ema.warmup_inner")]
    [InlineData("freeze_inner: true", "warmup: true", "", "wrong.safetensors", "init_weights: ")]
    public void Growth_fields_that_do_not_fit_are_refused_naming_the_field_and_the_file(string stage, string ema, string checkpoint, string? init, string expected)
    {
        using var temp = new TempFolder();
        SmallWeights(temp.Path);
        using (var scope = NewDisposeScope())
            SafetensorsWriter.Save(temp.File("wrong.safetensors"), new Dictionary<string, Tensor> { ["conv_in.weight"] = zeros(3, 3) });
        var config = Config(temp.Path, stage, ema.Length == 0 ? "warmup: true" : ema, checkpoint, init);

        var (code, errors) = Train(config, temp.File("run"));
        Assert.Equal(TrainCommand.Refused, code);
        Assert.Contains(expected, errors);
        Assert.Contains(config, errors);
        Assert.False(Directory.Exists(temp.File("run/checkpoints")) && Directory.EnumerateFiles(temp.File("run/checkpoints")).Any());
    }
}
