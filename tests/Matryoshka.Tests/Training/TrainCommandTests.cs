using System.Diagnostics;
using Matryoshka.Cli.Commands;
using Matryoshka.Tests.Support;
using Matryoshka.Training.Checkpoints;
using Xunit;
using Xunit.Abstractions;

namespace Matryoshka.Tests.Training;

/// <summary><c>matryoshka train</c> end to end on the bundled tiny config: resume is bit-exact, kills never break checkpoints.</summary>
public class TrainCommandTests(ITestOutputHelper output)
{
    private static int Train(string config, string folder, bool resume = false, long? maxSteps = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = TrainCommand.Run(config, folder, resume, maxSteps, maxTime: null, plain: true, stdout, stderr, CancellationToken.None);
        Assert.True(code == 0, stderr.ToString());
        return code;
    }

    private static string FinalTensors(string folder) =>
        Path.ChangeExtension(new TrainingCheckpointStore(Path.Combine(folder, "checkpoints")).List()[^1], ".safetensors");

    [Fact]
    public void Stopping_with_max_steps_and_resuming_gives_bit_identical_weights_through_growth()
    {
        using var temp = new TempFolder();
        var config = TinyRunConfig.Write(temp.Path);
        string straight = temp.File("straight"), interrupted = temp.File("interrupted");

        Train(config, straight);
        Train(config, interrupted, maxSteps: 7);                // mid stage 0, between checkpoints
        Train(config, interrupted, resume: true, maxSteps: 12); // exactly at the growth boundary
        Train(config, interrupted, resume: true, maxSteps: 17); // mid stage 1
        Train(config, interrupted, resume: true);

        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "ema.safetensors")), File.ReadAllBytes(Path.Combine(interrupted, "ema.safetensors")));
        // Model, EMA, AdamW moments and generator state, all bit for bit.
        Assert.Equal(File.ReadAllBytes(FinalTensors(straight)), File.ReadAllBytes(FinalTensors(interrupted)));
        Assert.Equal(File.ReadAllLines(Path.Combine(straight, "loss.csv")), File.ReadAllLines(Path.Combine(interrupted, "loss.csv")));
        Assert.Equal(25, File.ReadAllLines(Path.Combine(straight, "loss.csv")).Length); // header + 24 steps
    }

    [Fact]
    public void A_stage_model_that_cannot_run_is_refused_before_training_starts()
    {
        using var temp = new TempFolder();
        var source = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "fashion-mnist.model.yaml");
        // The outer level's time width must equal the innermost level's (192) in a conditioned model.
        File.WriteAllText(temp.File("model.yaml"), File.ReadAllText(source).Replace("\n  temporal_dim: 192", "\n  temporal_dim: 256"));
        File.WriteAllText(temp.File("train.yaml"), $"model: model.yaml\ndata: {{ kind: fashion-mnist, path: {temp.Path} }}\nconditioning: {{ kind: class }}\nstages:\n  - {{ levels: 1, steps: 5 }}\n  - {{ levels: 2, steps: 5 }}\n");
        var stderr = new StringWriter();
        int code = TrainCommand.Run(temp.File("train.yaml"), temp.File("out"), false, null, null, true, new StringWriter(), stderr, CancellationToken.None);
        Assert.Equal(TrainCommand.Refused, code);
        Assert.Contains("Stage 1's model cannot run", stderr.ToString());
    }

    [Fact]
    public void A_training_process_killed_at_random_moments_while_checkpointing_every_step_leaves_a_loadable_checkpoint()
    {
        using var temp = new TempFolder();
        var config = TinyRunConfig.Write(temp.Path, stageSteps: 200, checkpointEvery: 1, keep: 2);
        string folder = temp.File("run");
        var random = new Random(5);
        int tornWrites = 0;
        long lastStep = -1;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            using var child = StartChild(config, folder);
            int checkpoints = 0, target = random.Next(2, 6);
            var seen = new List<string>();
            while (child.StandardOutput.ReadLine() is { } line)
            {
                seen.Add(line);
                if (line.EndsWith("[checkpoint]", StringComparison.Ordinal) && ++checkpoints == target) break;
            }
            if (checkpoints != target)
            {
                child.WaitForExit();
                Assert.Fail($"attempt {attempt}: the child stopped (exit {child.ExitCode}) after {seen.Count} lines ({string.Join(" | ", seen.TakeLast(3))}): {child.StandardError.ReadToEnd()}");
            }
            Thread.Sleep(random.Next(0, 120)); // land somewhere inside the next step or its checkpoint write
            child.Kill(); // SIGKILL on Linux: no finally blocks, no flushing
            child.WaitForExit();

            var checkpointFolder = Path.Combine(folder, "checkpoints");
            tornWrites += Directory.GetFiles(checkpointFolder, ".*.tmp").Length > 0 ? 1 : 0;
            using var newest = new TrainingCheckpointStore(checkpointFolder, keep: 2).LoadNewest(fallBack: false);
            Assert.NotNull(newest);
            Assert.True(newest!.Info.Step > lastStep, $"attempt {attempt}: newest step {newest.Info.Step} did not advance past {lastStep}");
            lastStep = newest.Info.Step;
        }
        output.WriteLine($"4 kills; {tornWrites} left a half-written temporary file behind (the final names were intact every time); last step {lastStep}");
    }

    private static Process StartChild(string config, string folder)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Matryoshka.Cli.dll"), "train", "--config", config, "--out", folder, "--plain", "--resume" })
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the child process");
    }
}
