using Matryoshka.IO;
using static TorchSharp.torch;

namespace Matryoshka.Training.Checkpoints;

/// <summary>
/// Compact checkpoints (<see cref="Runs.TrainingRunOptions.OmitFrozenFromCheckpoints"/>): a run that starts from a
/// weights file and freezes them leaves those weights (and their averages, equal to them) out of its checkpoints; the
/// record names the file, its SHA-256 and where its tensors went, and loading puts them back from it, or from a copy
/// the caller names, once its SHA-256 matches. Every reader of a checkpoint then sees the complete state.
/// </summary>
internal static class OmittedFrozenWeights
{
    private const string FlagKey = "frozen_weights_omitted";
    private const string PathKey = "initial_weights";
    private const string Sha256Key = "initial_weights_sha256";
    private const string FitKey = "initial_weights_fit";

    /// <summary>The record entries of a checkpoint that left out the frozen weights taken from <paramref name="path"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Describe(string path, string sha256, InitialWeightsFit fit) =>
    [
        new(FlagKey, "true"),
        new(PathKey, Path.GetFullPath(path)),
        new(Sha256Key, sha256),
        new(FitKey, fit.ToString()),
    ];

    /// <summary>Puts the omitted weights back into <paramref name="tensors"/> if the record says some were left out.</summary>
    /// <param name="recordPath">The checkpoint's record (for error messages).</param>
    /// <param name="extra">The record's extra entries.</param>
    /// <param name="tensors">The checkpoint's tensors; the missing model and EMA entries are added.</param>
    /// <param name="initialWeights">A copy of the weights file to use instead of the path the record names.</param>
    /// <exception cref="TrainingCheckpointException">The record is incomplete, or the file is missing or not the one the run started from.</exception>
    public static void PutBack(string recordPath, IReadOnlyDictionary<string, string>? extra, Dictionary<string, Tensor> tensors, string? initialWeights)
    {
        if (extra is null || !extra.TryGetValue(FlagKey, out var flag) || flag != "true") return;
        if (!extra.TryGetValue(PathKey, out var recorded) || !extra.TryGetValue(Sha256Key, out var sha)
            || !extra.TryGetValue(FitKey, out var fitText) || !Enum.TryParse<InitialWeightsFit>(fitText, out var fit))
            throw new TrainingCheckpointException(recordPath, $"left out its frozen weights but does not say where they come from ({PathKey}, {Sha256Key}, {FitKey}).");
        string path = initialWeights ?? recorded;
        if (!File.Exists(path))
            throw new TrainingCheckpointException(recordPath, $"left out its frozen weights, which come from {path} (SHA-256 {sha}); that file is missing.");
        string actual = InitialWeights.Sha256(path);
        if (!string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
            throw new TrainingCheckpointException(recordPath, $"left out its frozen weights, which come from a file with SHA-256 {sha}; {path} has {actual}.");

        var model = tensors.FirstOrDefault(p => p.Key.StartsWith(TrainerState.ModelPrefix, StringComparison.Ordinal) && p.Value.is_floating_point()).Value
            ?? throw new TrainingCheckpointException(recordPath, "holds no model weights.");
        string prefix = fit == InitialWeightsFit.InnerLevel ? ModelGrowth.InnerPrefix : "";
        int restored = 0;
        foreach (var (key, value) in SafetensorsReader.Load(path, CPU))
        {
            using (value)
            {
                foreach (var kind in new[] { TrainerState.ModelPrefix, TrainerState.EmaPrefix })
                {
                    if (tensors.ContainsKey(kind + prefix + key)) continue;
                    tensors[kind + prefix + key] = value.to(model.dtype, copy: true);
                    restored++;
                }
            }
        }
        if (restored == 0)
            throw new TrainingCheckpointException(recordPath, $"says it left out frozen weights from {path}, but holds every tensor of that file.");
    }
}
