using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Matryoshka.Cli.Commands;
using Matryoshka.Tests.Imaging;
using Matryoshka.Training.Checkpoints;
using Xunit;

namespace Matryoshka.Tests.Training;

/// <summary>
/// A run over a folder with unreadable samples counts them per reason in every checkpoint record, across stages and
/// resumes, and names each one in the run's log file as well as on the console.
/// </summary>
public partial class SkippedSampleRecordTests
{
    private const int StageSteps = 5, BatchSize = 4, GoodImages = 16, Samples = GoodImages + 2;

    // The emoji plus a PNG declaring zero width and a good image whose caption file is over the 1 MiB limit.
    private static string HostileFolder(TempFolder temp)
    {
        var folder = Directory.CreateDirectory(temp.File("data")).FullName;
        foreach (var file in Directory.EnumerateFiles(TinyRunConfig.EmojiFolder).Where(f => f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".txt", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        File.WriteAllBytes(Path.Combine(folder, "zero.png"), HostilePngs.Declaring(0, 4));
        File.Copy(Directory.EnumerateFiles(folder, "*.png").Order(StringComparer.Ordinal).First(), Path.Combine(folder, "long-caption.png"));
        File.WriteAllBytes(Path.Combine(folder, "long-caption.txt"), new byte[2 * 1024 * 1024]);
        return folder;
    }

    private static (string Stdout, string Stderr) Train(string config, string output, bool resume = false, long? maxSteps = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = TrainCommand.Run(config, output, resume, maxSteps, maxTime: null, plain: true, stdout, stderr, CancellationToken.None);
        Assert.True(code == 0, stderr.ToString());
        return (stdout.ToString(), stderr.ToString());
    }

    private static JsonObject NewestRecord(string output) =>
        JsonNode.Parse(File.ReadAllText(new TrainingCheckpointStore(Path.Combine(output, "checkpoints")).List()[^1]))!.AsObject();

    private static Dictionary<string, long> Counts(JsonObject record) =>
        record["skipped_samples_by_reason"]!.AsObject().ToDictionary(p => p.Key, p => (long)p.Value!);

    [Fact]
    public void Skips_are_counted_per_reason_through_growth_and_resume_and_logged_with_file_and_reason()
    {
        using var temp = new TempFolder();
        var config = TinyRunConfig.Write(temp.Path, stageSteps: StageSteps, checkpointEvery: 100, dataPath: HostileFolder(temp));
        string straight = temp.File("straight"), interrupted = temp.File("interrupted");

        var (_, warnings) = Train(config, interrupted, maxSteps: StageSteps - 1); // stops inside stage 0
        var stage0 = NewestRecord(interrupted);
        Assert.Equal(0, (int)stage0["stage"]!);
        var stage0Counts = Counts(stage0);
        Assert.Equal(["caption file too large", "image corrupt"], stage0Counts.Keys.Order(StringComparer.Ordinal));
        // The stream walked epoch × samples + offset positions; every one not used in a full batch was a skip.
        long walked = (long)stage0["data_epoch"]! * Samples + (long)stage0["data_offset"]!;
        Assert.Equal(walked - (StageSteps - 1) * BatchSize, stage0Counts.Values.Sum());
        Assert.Contains("zero.png", warnings);
        Assert.Contains("long-caption.txt' is larger than", warnings);

        Train(config, interrupted, resume: true);
        Train(config, straight);
        var finalCounts = Counts(NewestRecord(straight));
        Assert.Equal(finalCounts, Counts(NewestRecord(interrupted)));
        // Stage 1 walks its own stream again, so the run's counts grow past stage 0's.
        Assert.True(finalCounts.Values.Sum() > stage0Counts.Values.Sum(), string.Join(", ", finalCounts));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "ema.safetensors")), File.ReadAllBytes(Path.Combine(interrupted, "ema.safetensors")));

        var log = File.ReadAllLines(Path.Combine(interrupted, "train.log"));
        Assert.All(log, line => Assert.Matches(Timestamped(), line));
        Assert.Contains(log, line => line.Contains("training started"));
        Assert.Contains(log, line => line.Contains("training resumed at step 4"));
        Assert.Contains(log, line => line.Contains("skipped unreadable sample " + Path.Combine(temp.Path, "data", "zero.png") + ": ") && line.Contains("0×4"));
        Assert.Contains(log, line => line.Contains("skipped unreadable sample " + Path.Combine(temp.Path, "data", "long-caption.png") + ": ") && line.Contains("is larger than"));
        Assert.Contains(log, line => line.Contains("training completed at step 10"));
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S")]
    private static partial Regex Timestamped();
}
