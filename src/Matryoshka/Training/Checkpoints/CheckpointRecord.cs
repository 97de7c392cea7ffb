using System.Text.Json.Serialization;

namespace Matryoshka.Training.Checkpoints;

// The JSON written next to a checkpoint's tensors. It is written last and names the tensors file's length and
// SHA-256, so it doubles as the commit record: a checkpoint exists only once its JSON does, and only counts if the
// tensors file still matches it.
internal sealed class CheckpointRecord
{
    public const string FormatName = "matryoshka-training-checkpoint";
    public const int CurrentVersion = 1;

    [JsonPropertyName("format")] public string? Format { get; set; }
    [JsonPropertyName("version")] public int Version { get; set; }
    [JsonPropertyName("step")] public long Step { get; set; }
    [JsonPropertyName("stage")] public int Stage { get; set; }
    [JsonPropertyName("stage_step")] public long StageStep { get; set; }
    [JsonPropertyName("data_epoch")] public long DataEpoch { get; set; }
    [JsonPropertyName("data_offset")] public long DataOffset { get; set; }
    [JsonPropertyName("optimizer_steps")] public long OptimizerSteps { get; set; }
    [JsonPropertyName("skipped_steps")] public long SkippedSteps { get; set; }
    [JsonPropertyName("adam_steps")] public long AdamSteps { get; set; }
    // Added after version 1 shipped: records without it load as "none skipped".
    [JsonPropertyName("skipped_samples_by_reason")] public SortedDictionary<string, long>? SkippedSamplesByReason { get; set; }
    [JsonPropertyName("tensors_file")] public string? TensorsFile { get; set; }
    [JsonPropertyName("tensors_bytes")] public long TensorsBytes { get; set; }
    [JsonPropertyName("tensors_sha256")] public string? TensorsSha256 { get; set; }
    [JsonPropertyName("created_utc")] public DateTimeOffset CreatedUtc { get; set; }
    [JsonPropertyName("configuration")] public string? Configuration { get; set; }
    [JsonPropertyName("extra")] public Dictionary<string, string>? Extra { get; set; }
}
