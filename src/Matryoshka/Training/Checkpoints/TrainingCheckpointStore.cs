using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Matryoshka.IO;
using static TorchSharp.torch;

namespace Matryoshka.Training.Checkpoints;

/// <summary>
/// A folder of training checkpoints: <c>checkpoint-&lt;step&gt;.safetensors</c> (model, EMA, optimizer moments, RNG
/// state) plus <c>checkpoint-&lt;step&gt;.json</c> (step, stage, data position, counters, configuration, and the
/// tensors file's length and SHA-256). Both are written under temporary names, flushed to disk and renamed, the JSON
/// last, so a process killed at any moment never leaves a torn file under a final name and the previous checkpoint
/// stays loadable. Only the newest <see cref="Keep"/> checkpoints are kept.
/// </summary>
public sealed class TrainingCheckpointStore
{
    private const string Prefix = "checkpoint-";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Opens (and creates) <paramref name="directory"/>; leftovers of interrupted writes are deleted.</summary>
    public TrainingCheckpointStore(string directory, int keep = 3)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        Directory = System.IO.Path.GetFullPath(directory);
        Keep = keep;
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var leftover in System.IO.Directory.EnumerateFiles(Directory, ".*.tmp")) TryDelete(leftover);
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>How many checkpoints are kept.</summary>
    public int Keep { get; }

    /// <summary>The committed checkpoints' JSON records (whether or not they verify), oldest first.</summary>
    public IReadOnlyList<string> List() => System.IO.Directory.EnumerateFiles(Directory, Prefix + "*.json")
        .Select(path => (path, step: StepOf(path)))
        .Where(p => p.step >= 0)
        .OrderBy(p => p.step)
        .Select(p => p.path)
        .ToList();

    /// <summary>Writes a checkpoint of <paramref name="state"/> at <paramref name="info"/>'s step, then prunes old ones.</summary>
    /// <returns>The JSON record's path.</returns>
    public string Save(TrainerState state, TrainingCheckpointInfo info)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentOutOfRangeException.ThrowIfNegative(info.Step);
        string name = Prefix + info.Step.ToString("D9", CultureInfo.InvariantCulture);
        string tensorsPath = System.IO.Path.Combine(Directory, name + ".safetensors");
        string recordPath = System.IO.Path.Combine(Directory, name + ".json");

        // An older record for this step would vouch for the wrong tensors while they are replaced.
        TryDelete(recordPath);
        SafetensorsWriter.Save(tensorsPath, state.Tensors); // temp + flush + rename
        var (bytes, sha) = Fingerprint(tensorsPath);
        var record = new CheckpointRecord
        {
            Format = CheckpointRecord.FormatName,
            Version = CheckpointRecord.CurrentVersion,
            Step = info.Step,
            Stage = info.Stage,
            StageStep = info.StageStep,
            DataEpoch = info.DataEpoch,
            DataOffset = info.DataOffset,
            OptimizerSteps = state.Counters.OptimizerSteps,
            SkippedSteps = state.Counters.SkippedSteps,
            AdamSteps = state.Counters.AdamSteps,
            SkippedSamplesByReason = new SortedDictionary<string, long>(info.SkippedSamplesByCategory.ToDictionary(), StringComparer.Ordinal),
            TensorsFile = System.IO.Path.GetFileName(tensorsPath),
            TensorsBytes = bytes,
            TensorsSha256 = sha,
            CreatedUtc = DateTimeOffset.UtcNow,
            Configuration = info.Configuration,
            Extra = info.Extra?.ToDictionary(p => p.Key, p => p.Value),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(record, Json);
        AtomicFile.Write(recordPath, stream => stream.Write(json));
        Prune();
        return recordPath;
    }

    /// <summary>
    /// Reads and verifies the checkpoint whose JSON record is <paramref name="recordPath"/>. A compact checkpoint's
    /// left-out frozen weights are put back from the weights file the run started from (see
    /// <see cref="Runs.TrainingRunOptions.OmitFrozenFromCheckpoints"/>).
    /// </summary>
    /// <param name="recordPath">The checkpoint's JSON record.</param>
    /// <param name="initialWeights">For a compact checkpoint: a copy of the weights file the run started from, used
    /// instead of the path its record names (e.g. on another machine); its SHA-256 must match.</param>
    /// <exception cref="TrainingCheckpointException">A part is missing, truncated, corrupt or of an unknown version.</exception>
    public static LoadedTrainingCheckpoint Load(string recordPath, string? initialWeights = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(recordPath);
        var record = ReadRecord(recordPath);
        string tensorsPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(recordPath))!, record.TensorsFile!);
        if (!File.Exists(tensorsPath)) throw new TrainingCheckpointException(recordPath, $"its tensors file {record.TensorsFile} is missing.");
        var (bytes, sha) = Fingerprint(tensorsPath);
        if (bytes != record.TensorsBytes)
            throw new TrainingCheckpointException(tensorsPath, $"is {bytes} bytes long, its record says {record.TensorsBytes} (truncated or replaced).");
        if (!string.Equals(sha, record.TensorsSha256, StringComparison.OrdinalIgnoreCase))
            throw new TrainingCheckpointException(tensorsPath, "its SHA-256 differs from the one in its record (corrupt).");
        Dictionary<string, Tensor> tensors;
        try { tensors = SafetensorsReader.Load(tensorsPath, CPU); }
        catch (SafetensorsFormatException e) { throw new TrainingCheckpointException(tensorsPath, e.Problem, e); }
        OmittedFrozenWeights.PutBack(recordPath, record.Extra, tensors, initialWeights);
        var info = new TrainingCheckpointInfo
        {
            Step = record.Step,
            Stage = record.Stage,
            StageStep = record.StageStep,
            DataEpoch = record.DataEpoch,
            DataOffset = record.DataOffset,
            SkippedSamplesByCategory = (IReadOnlyDictionary<string, long>?)record.SkippedSamplesByReason ?? new Dictionary<string, long>(),
            Configuration = record.Configuration,
            Extra = record.Extra,
        };
        return new LoadedTrainingCheckpoint(System.IO.Path.GetFullPath(recordPath), info,
            new TrainerCounters(record.OptimizerSteps, record.SkippedSteps, record.AdamSteps), tensors);
    }

    /// <summary>
    /// Loads the newest checkpoint that verifies. With <paramref name="fallBack"/>, a newest one that fails is
    /// reported through <paramref name="rejected"/> and the next older one is tried; without it, the failure is thrown.
    /// </summary>
    /// <param name="fallBack">Try older checkpoints when the newest fails.</param>
    /// <param name="rejected">Told of each checkpoint that fails.</param>
    /// <param name="initialWeights">See <see cref="Load(string, string?)"/>.</param>
    /// <returns>The checkpoint, or null when the folder holds none.</returns>
    /// <exception cref="TrainingCheckpointException">The newest checkpoint is bad and <paramref name="fallBack"/> is false, or every one is bad.</exception>
    public LoadedTrainingCheckpoint? LoadNewest(bool fallBack = true, Action<TrainingCheckpointException>? rejected = null, string? initialWeights = null)
    {
        var records = List();
        TrainingCheckpointException? first = null;
        for (int i = records.Count - 1; i >= 0; i--)
        {
            try { return Load(records[i], initialWeights); }
            catch (TrainingCheckpointException e)
            {
                if (!fallBack) throw;
                first ??= e;
                rejected?.Invoke(e);
            }
        }
        if (first is not null) throw new TrainingCheckpointException(Directory, $"none of its {records.Count} checkpoints is loadable; the newest failed with: {first.Message}", first);
        return null;
    }

    private static CheckpointRecord ReadRecord(string recordPath)
    {
        if (!File.Exists(recordPath)) throw new TrainingCheckpointException(recordPath, "does not exist.");
        var info = new FileInfo(recordPath);
        // Records hold a config text and a few numbers; anything huge is not one of ours.
        if (info.Length > 16 << 20) throw new TrainingCheckpointException(recordPath, $"is {info.Length} bytes, too large for a checkpoint record.");
        CheckpointRecord? record;
        try { record = JsonSerializer.Deserialize<CheckpointRecord>(File.ReadAllBytes(recordPath)); }
        catch (JsonException e) { throw new TrainingCheckpointException(recordPath, $"is not a valid checkpoint record: {e.Message}", e); }
        if (record is null || record.Format != CheckpointRecord.FormatName)
            throw new TrainingCheckpointException(recordPath, $"is not a Matryoshka training checkpoint record (format '{record?.Format}').");
        if (record.Version != CheckpointRecord.CurrentVersion)
            throw new TrainingCheckpointException(recordPath, $"has format version {record.Version}; this build reads version {CheckpointRecord.CurrentVersion}.");
        if (string.IsNullOrEmpty(record.TensorsFile) || record.TensorsFile != System.IO.Path.GetFileName(record.TensorsFile) || string.IsNullOrEmpty(record.TensorsSha256))
            throw new TrainingCheckpointException(recordPath, "names no valid tensors file or checksum.");
        if (record.Step < 0 || record.Stage < 0 || record.StageStep < 0 || record.DataEpoch < 0 || record.DataOffset < 0 || record.OptimizerSteps < 0 || record.SkippedSteps < 0 || record.AdamSteps < 0)
            throw new TrainingCheckpointException(recordPath, "holds a negative step, stage, counter or data position.");
        if (record.SkippedSamplesByReason?.FirstOrDefault(p => p.Value < 0) is { Key: not null } negative)
            throw new TrainingCheckpointException(recordPath, $"counts {negative.Value} skipped samples for '{negative.Key}'; a count cannot be negative.");
        return record;
    }

    private void Prune()
    {
        var records = List();
        foreach (var record in records.Take(Math.Max(0, records.Count - Keep)))
        {
            // Record first: a half-pruned checkpoint is simply absent, never a record without tensors.
            TryDelete(record);
            TryDelete(System.IO.Path.ChangeExtension(record, ".safetensors"));
        }
    }

    private static (long Bytes, string Sha256) Fingerprint(string path)
    {
        using var stream = File.OpenRead(path);
        return (stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    private static long StepOf(string recordPath)
    {
        var name = System.IO.Path.GetFileNameWithoutExtension(recordPath);
        return name.StartsWith(Prefix, StringComparison.Ordinal) && long.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long step) ? step : -1;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
