using System.Diagnostics;
using Matryoshka.Cli.Commands;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Xunit;

namespace Matryoshka.Tests.Cli;

/// <summary>
/// generate, grow and convert size a model from its config on the meta device before building it: a config with
/// 200,000 channels (3.0 T parameters in the tiny sample) is refused at once with exit 2, naming the file, instead of reaching the
/// allocator.
/// </summary>
public class ModelMemoryBudgetCommandTests
{
    private static readonly string Configs = Path.Combine(AppContext.BaseDirectory, "samples", "configs");

    // The sample config with its outer level's channels made absurd; everything else, inner level included, unchanged.
    private static string Absurd(TempFolder temp, string sample)
    {
        var text = File.ReadAllText(Path.Combine(Configs, sample));
        var absurd = text.Replace("\n  resolution_channels: [16, 32]", "\n  resolution_channels: [200000, 32]");
        Assert.NotEqual(text, absurd);
        return temp.Write("absurd-" + sample, System.Text.Encoding.UTF8.GetBytes(absurd));
    }

    private static void AssertRefused(Func<TextWriter, int> run, string config)
    {
        var stderr = new StringWriter();
        var clock = Stopwatch.StartNew();
        int code = run(stderr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Equal(2, code);
        var message = stderr.ToString();
        Assert.StartsWith($"refused: {config}: the model has ", message);
        Assert.Contains("parameters; its Float32 weights alone need ", message);
        Assert.Contains("refused before anything is allocated", message);
    }

    [Fact]
    public void Generate_refuses_an_absurd_config_before_building_the_model()
    {
        using var temp = new TempFolder();
        var config = Absurd(temp, "fashion-mnist.model.yaml");
        RandomWeights.Save(Path.Combine(Configs, "fashion-mnist.model.yaml"), null, temp.File("weights.safetensors"));
        AssertRefused(stderr => GenerateCommand.Run(new GenerateCommand.Options(config, temp.File("weights.safetensors"), "", temp.File("out.png"),
            Steps: 2, Seed: 1, Labels: "3"), TextWriter.Null, stderr), config);
        Assert.False(File.Exists(temp.File("out.png")));
    }

    [Fact]
    public void Grow_refuses_an_absurd_target_before_reading_the_weights()
    {
        using var temp = new TempFolder();
        var config = Absurd(temp, "tiny-two-level.model.yaml");
        var notRead = temp.Write("small.safetensors", [1, 2, 3]); // a reader would refuse this; the budget comes first
        AssertRefused(stderr => GrowCommand.Run(notRead, config, temp.File("grown.safetensors"), false, null, 0, TextWriter.Null, stderr), config);
        Assert.False(File.Exists(temp.File("grown.safetensors")));
    }

    [Fact]
    public void Convert_to_mlmdm_refuses_an_absurd_config_before_writing()
    {
        using var temp = new TempFolder();
        var config = Absurd(temp, "tiny-two-level.model.yaml");
        RandomWeights.Save(Path.Combine(Configs, "tiny-two-level.model.yaml"), null, temp.File("tiny.safetensors"));
        AssertRefused(stderr => ConvertCommand.Run(temp.File("tiny.safetensors"), temp.File("tiny.pth"), false, TextWriter.Null, stderr,
            format: "mlmdm", config: config), config);
        Assert.False(File.Exists(temp.File("tiny.pth")));
    }

    [Fact]
    public void The_budget_passes_real_models_refuses_over_the_limit_and_types_overflow()
    {
        var tiny = Path.Combine(Configs, "tiny-two-level.model.yaml");
        var model = ModelConfigFiles.Load(tiny);
        var summary = ModelMemoryBudget.Check(model, tiny);
        Assert.Equal(summary.WeightBytes(TorchSharp.torch.ScalarType.Float32), 4 * summary.TotalParameters);

        long justEnough = summary.WeightBytes(TorchSharp.torch.ScalarType.Float32);
        ModelMemoryBudget.Check(model, tiny, limitBytes: justEnough);
        var over = Assert.Throws<ModelMemoryException>(() => ModelMemoryBudget.Check(model, tiny, limitBytes: justEnough - 1));
        Assert.Equal(tiny, over.ConfigPath);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the model has {summary.TotalParameters:N0} parameters"), over.Message);

        using var temp = new TempFolder();
        var huge = temp.Write("huge.yaml", System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(tiny)
            .Replace("\n  resolution_channels: [16, 32]", "\n  resolution_channels: [1000000000, 32]")));
        var overflow = Assert.Throws<ModelMemoryException>(() => ModelMemoryBudget.Check(ModelConfigFiles.Load(huge), huge));
        Assert.Contains("cannot be sized", overflow.Message);
    }
}
