using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Matryoshka.Training.Configuration;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

/// <summary>A model too large for the memory limit is refused when the run is set up, before anything is allocated.</summary>
public class StageMemoryBudgetTests
{
    private static readonly string Tiny = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "tiny-two-level.yaml");

    [Fact]
    public void Training_state_counts_weights_gradients_two_moments_and_a_float32_ema()
    {
        var summary = ModelSummary.Of(ModelConfigFiles.Load(Fixtures.MlMdm("two_level", "config.json")));
        Assert.Equal(20 * summary.TotalParameters, TrainingMemory.StateBytes(summary, ScalarType.Float32));
        Assert.Equal(14 * summary.TotalParameters, TrainingMemory.StateBytes(summary, ScalarType.BFloat16));
        Assert.True(TrainingMemory.MachineBytes > 0);
    }

    [Fact]
    public void A_stage_over_the_limit_is_refused_naming_the_stage_and_sizes()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<TrainingConfigException>(() => TrainingConfiguration.Load(Tiny).CreateRun(folder.File("out"), memoryLimitBytes: 1024));
        Assert.Contains("stages[0]: its model has", error.Message);
        Assert.Contains("GiB limit", error.Message);
        Assert.False(Directory.Exists(Path.Combine(folder.File("out"), "checkpoints")));
    }

    [Fact]
    public void Within_the_machine_memory_the_run_is_set_up()
    {
        using var folder = new TempFolder();
        using var setup = TrainingConfiguration.Load(Tiny).CreateRun(folder.File("out"));
        Assert.Equal(2, setup.Options.Stages.Count);
    }
}
