using Matryoshka.Cli.Experiments;
using Matryoshka.Evaluation;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Training.Experiments;
using Matryoshka.Models;
using Matryoshka.Training.Runs;
using Xunit;

namespace Matryoshka.Tests.Experiments;

/// <summary><c>matryoshka experiment</c> end to end on a tiny text-conditioned MDM (pixel features stand in for ResNet18).</summary>
public class ExperimentRunnerTests
{
    [Fact]
    public void Every_arm_and_seed_is_trained_and_evaluated_at_the_same_steps_with_its_budget()
    {
        using var temp = new TempFolder();
        var spec = TinyExperiment.Write(temp.Path);
        var output = temp.File("out");

        var (code, log) = Run(spec, output);

        Assert.True(code == 0, log);
        var rows = ExperimentResults.Open(Path.Combine(output, "results.csv")).Rows;
        // Step by step, round the arms and seeds, so an interrupted experiment stays level.
        Assert.Equal(
            new (string, ulong, long)[] { ("joint", 1, 2), ("joint", 2, 2), ("progressive", 1, 2), ("progressive", 2, 2), ("joint", 1, 4), ("joint", 2, 4), ("progressive", 1, 4), ("progressive", 2, 4) },
            rows.Select(r => (r.Arm, r.Seed, r.Step)));

        var final = ModelConfigFiles.Load(temp.File("tiny-text.model.yaml"), 384);
        double perImageFinal = ModelFlops.Of(final.Plan(), ModelFlops.DefaultTextLength).TrainingStep;
        double perImageInner = ModelFlops.Of(ModelStages.Innermost(final, 1).Plan(), ModelFlops.DefaultTextLength).TrainingStep;
        Assert.True(perImageInner < perImageFinal / 2, $"the 16² model alone costs {perImageInner} of {perImageFinal}");
        foreach (var row in rows)
        {
            Assert.Equal(row.Step * TinyExperiment.Batch, row.ImagesSeen);
            bool lowStage = row.Arm == "progressive" && row.Step <= TinyExperiment.Steps / 2;
            double flops = row.Arm == "joint"
                ? row.Step * TinyExperiment.Batch * perImageFinal
                : Math.Min(row.Step, TinyExperiment.Steps / 2) * TinyExperiment.Batch * perImageInner
                  + Math.Max(0, row.Step - TinyExperiment.Steps / 2) * TinyExperiment.Batch * perImageFinal;
            Assert.Equal(flops, row.TrainFlops, 6);
            Assert.True(row.TrainSeconds > 0);
            if (lowStage)
            {
                // The progressive run's 16² stage has nothing at 32² to evaluate.
                Assert.Equal((0, 16), (row.Stage, row.Resolution));
                Assert.Null(row.FdResNet18);
                Assert.Null(row.FinalLevelLoss);
                continue;
            }
            Assert.Equal(32, row.Resolution);
            Assert.InRange(row.Top1!.Value, 0, row.Top5!.Value);
            Assert.InRange(row.Top5.Value, 0, 1);
            Assert.InRange(row.PixelTop1!.Value, 0, row.PixelTop5!.Value);
            Assert.True(row.FdResNet18 > 0 && row.FdRealSameSize > 0 && row.EvalSeconds > 0);
            Assert.True(row.FinalLevelLoss > 0);
            var folder = Path.Combine(output, "runs", $"{row.Arm}-seed{row.Seed}");
            Assert.True(File.Exists(Path.Combine(folder, $"ema-{row.Step:D9}.safetensors")));
            Assert.Equal(4, Directory.GetFiles(Path.Combine(folder, $"samples-{row.Step:D9}"), "*.png").Length);
        }
        // The seed replaces the configuration's: the two seeds train differently.
        var joint = rows.Where(r => r.Arm == "joint" && r.Step == 4).ToArray();
        Assert.NotEqual(joint[0].FinalLevelLoss, joint[1].FinalLevelLoss);
        // Training time accumulates along each run.
        foreach (var run in rows.GroupBy(r => (r.Arm, r.Seed)))
            Assert.True(run.Last().TrainSeconds > run.First().TrainSeconds, $"{run.Key}: {string.Join(", ", run.Select(r => r.TrainSeconds))}");
    }

    [Fact]
    public void An_interrupted_experiment_continues_to_the_same_results()
    {
        using var temp = new TempFolder();
        var spec = TinyExperiment.Write(temp.Path, seeds: "[5]");
        var (code, log) = Run(spec, temp.File("whole"));
        Assert.True(code == 0, log);

        // Stopped after step 3 of the progressive run (its first step after growing), three rows in.
        using var cancellation = new CancellationTokenSource();
        var watcher = new CancellingLog("progressive seed 5 step 3 ", cancellation);
        var runner = new ExperimentRunner(ExperimentPlan.Load(spec), temp.File("interrupted"), new PixelFeatureExtractor(), watcher) { ProgressEvery = 1, Device = TorchSharp.torch.CPU };
        Assert.False(runner.Run(cancellation.Token), watcher.ToString());
        Assert.Equal(3, ExperimentResults.Open(runner.ResultsPath).Rows.Count);
        Assert.True(File.Exists(Path.Combine(runner.RunFolder("progressive", 5), "checkpoints", "checkpoint-000000003.json")), watcher.ToString());
        (code, log) = Run(spec, temp.File("interrupted"));
        Assert.True(code == 0, log);

        // Everything but the wall times is identical: training resumes bit-exactly and sampling is seeded.
        Assert.Equal(RowsWithoutWallTimes(temp.File("whole")), RowsWithoutWallTimes(temp.File("interrupted")));
    }

    [Fact]
    public void One_run_per_seed_on_one_folder_gives_the_rows_of_one_run()
    {
        using var temp = new TempFolder();
        var spec = TinyExperiment.Write(temp.Path, atSteps: "[4]");
        var (code, log) = Run(spec, temp.File("together"));
        Assert.True(code == 0, log);

        // One after the other here: two trainings at once in one process would race on TorchSharp's implicit
        // Scalars (docs/troubleshooting.md); separate processes do not share them, and the file lock has its own test.
        var bySeed = new[] { 2UL, 1UL }.Select(seed => Run(spec, temp.File("by-seed"), seed)).ToArray();

        foreach (var (c, l) in bySeed) Assert.True(c == 0, l);
        Assert.Contains("seed 1 complete", bySeed[1].Log);
        Assert.DoesNotContain("seed 2", bySeed[1].Log);
        Assert.Equal(RowsWithoutWallTimes(temp.File("together")).OrderBy(r => (r.Arm, r.Seed, r.Step)),
            RowsWithoutWallTimes(temp.File("by-seed")).OrderBy(r => (r.Arm, r.Seed, r.Step)));
    }

    [Fact]
    public void A_seed_that_is_not_in_the_spec_is_refused()
    {
        using var temp = new TempFolder();
        var spec = TinyExperiment.Write(temp.Path, seeds: "[1, 2]");

        var (code, log) = Run(spec, temp.File("out"), onlySeed: 3);

        Assert.Equal(ExperimentCommand.Refused, code);
        Assert.Contains("--seed 3 is not one of the spec's seeds (1, 2)", log);
        Assert.False(Directory.Exists(temp.File("out")));
    }

    [Fact]
    public void A_finished_experiment_is_not_redone()
    {
        using var temp = new TempFolder();
        var spec = TinyExperiment.Write(temp.Path, atSteps: "[2]", seeds: "[1]");
        Assert.Equal(0, Run(spec, temp.File("out")).Code);
        var before = File.ReadAllText(temp.File("out/results.csv"));

        var (code, log) = Run(spec, temp.File("out"));

        Assert.Equal(0, code);
        Assert.DoesNotContain("training to step", log);
        Assert.Equal(before, File.ReadAllText(temp.File("out/results.csv")));
    }

    /// <summary>An experiment's rows with the wall times zeroed: what two runs of the same spec must agree on.</summary>
    private static IEnumerable<ExperimentResult> RowsWithoutWallTimes(string output) =>
        ExperimentResults.Read(Path.Combine(output, "results.csv")).Select(r => r with { TrainSeconds = 0, EvalSeconds = 0 });

    private static (int Code, string Log) Run(string spec, string output, ulong? onlySeed = null)
    {
        var log = new StringWriter();
        int code = ExperimentCommand.Run(spec, output, null, log, log, CancellationToken.None, new PixelFeatureExtractor(), onlySeed);
        return (code, log.ToString());
    }

    /// <summary>Keeps the lines and cancels when one contains the trigger.</summary>
    private sealed class CancellingLog(string trigger, CancellationTokenSource cancellation) : IProgress<string>
    {
        private readonly StringWriter _lines = new();

        public void Report(string value)
        {
            _lines.WriteLine(value);
            if (value.Contains(trigger, StringComparison.Ordinal)) cancellation.Cancel();
        }

        public override string ToString() => _lines.ToString();
    }
}
