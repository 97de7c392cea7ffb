using System.Text.Json.Nodes;
using Matryoshka.Training;
using Matryoshka.Training.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

/// <summary>The per-reason skip counts in a checkpoint record round-trip, are optional for older records and are checked.</summary>
public class SkippedSampleCountsInRecordTests
{
    private static string SaveOne(string folder, IReadOnlyDictionary<string, long> skipped)
    {
        using var scope = NewDisposeScope();
        using var model = TinyTraining.Model();
        using var trainer = new Trainer(model, TinyTraining.Schedule(), new TrainerOptions { LearningRate = 1e-3, Seed = 3 });
        var state = trainer.CaptureState();
        using (state.Tensors[TrainerState.GeneratorKey])
            return new TrainingCheckpointStore(folder).Save(state, new TrainingCheckpointInfo { Step = 1, SkippedSamplesByCategory = skipped });
    }

    private static void EditRecord(string path, Action<JsonObject> edit)
    {
        var record = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(record);
        File.WriteAllText(path, record.ToJsonString());
    }

    [Fact]
    public void Counts_round_trip_and_a_record_without_them_loads_as_none_skipped()
    {
        using var folder = new TempFolder();
        var path = SaveOne(folder.Path, new Dictionary<string, long> { ["image corrupt"] = 2, ["caption file too large"] = 1 });
        var written = JsonNode.Parse(File.ReadAllText(path))!["skipped_samples_by_reason"]!.AsObject();
        Assert.Equal(["caption file too large", "image corrupt"], written.Select(p => p.Key)); // sorted: stable records
        using (var loaded = TrainingCheckpointStore.Load(path))
            Assert.Equal(new Dictionary<string, long> { ["image corrupt"] = 2, ["caption file too large"] = 1 }, loaded.Info.SkippedSamplesByCategory);

        EditRecord(path, record => record.Remove("skipped_samples_by_reason")); // as written before the field existed
        using var old = TrainingCheckpointStore.Load(path);
        Assert.Empty(old.Info.SkippedSamplesByCategory);
        Assert.Equal(1, old.Info.Step);
    }

    [Fact]
    public void A_negative_count_is_refused_naming_the_reason()
    {
        using var folder = new TempFolder();
        var path = SaveOne(folder.Path, new Dictionary<string, long> { ["image corrupt"] = 2 });
        EditRecord(path, record => record["skipped_samples_by_reason"]!["image corrupt"] = -5);
        var error = Assert.Throws<TrainingCheckpointException>(() => TrainingCheckpointStore.Load(path));
        Assert.Contains("counts -5 skipped samples for 'image corrupt'", error.Message);
        Assert.Contains(path, error.Message);
    }
}
