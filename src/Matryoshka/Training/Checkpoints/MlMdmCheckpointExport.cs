using Matryoshka.IO;
using Matryoshka.IO.Checkpoints;
using Matryoshka.IO.Weights;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using TorchSharp;

namespace Matryoshka.Training.Checkpoints;

/// <summary>
/// Exports Matryoshka weights as the checkpoint ml-mdm's own trainer writes (<c>vis_model_XXXXXX.pth</c>), so training can
/// continue in ml-mdm on many GPUs (<c>torchrun</c>, DistributedDataParallel) and the result come back with
/// <see cref="MlMdmCheckpoint.Load"/>, bit for bit. The inverse of <c>matryoshka convert --from X.pth</c>.
/// </summary>
public static class MlMdmCheckpointExport
{
    /// <summary>ml-mdm's starting value of <c>best_avg_loss</c> (its <c>train_parallel.py</c> uses 1e12), as an int: see <see cref="PickleCheckpoint.Save"/>.</summary>
    private const long FreshBestAverageLoss = 1_000_000_000_000;

    /// <summary>
    /// Writes <paramref name="destination"/> as <c>torch.save({"state_dict": …, "batch_num": …, "best_avg_loss": …,
    /// "exp_avg_loss": …, "exp_avg_loss_var": …})</c>: the weights in ml-mdm's registration order, which is what
    /// ml-mdm's <c>UNet.save</c>/<c>ModelEma.save</c> write, with the loss statistics its <c>train_parallel.py</c> reads
    /// when resuming (<c>--pretrained-vision-file</c>) at the values it starts from; and copies the model's ml-mdm
    /// config next to it (<c>Y.pth</c> → <c>Y.yaml</c>). The file loads under <c>torch.load(path, weights_only=True)</c>.
    /// </summary>
    /// <remarks>
    /// ml-mdm's loader keeps only the keys its model knows and loads with <c>strict=False</c>, so a wrong key name would
    /// be dropped there silently: the export refuses weights whose keys or shapes differ from the config's
    /// architecture, before anything is written. Optimizer state and the data position do not carry over.
    /// </remarks>
    /// <param name="source">A <c>.safetensors</c> weights file, or a training checkpoint's record (<c>checkpoint-*.json</c>).</param>
    /// <param name="destination">The checkpoint to write (conventionally <c>.pth</c>).</param>
    /// <param name="options">The config, which weights, dtype, overwriting; <see cref="MlMdmExportOptions.Default"/> when null.</param>
    /// <param name="progress">Told after each tensor written.</param>
    /// <param name="cancellationToken">Checked between tensors; a cancelled export leaves no file behind.</param>
    /// <exception cref="CheckpointExportException">The source is of an unknown kind, no config is found, or an output may not be written.</exception>
    /// <exception cref="ModelMemoryException">The config's model exceeds <see cref="MlMdmExportOptions.MemoryLimitBytes"/>.</exception>
    /// <exception cref="WeightsMismatchException">The weights' keys or shapes differ from the architecture; the message names them.</exception>
    /// <exception cref="MatryoshkaException">The source or the config is malformed.</exception>
    public static MlMdmExportResult Export(string source, string destination, MlMdmExportOptions? options = null,
        IProgress<CheckpointWriteProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        options ??= MlMdmExportOptions.Default;
        options.Validate();
        if (!File.Exists(source)) throw new CheckpointExportException(source, Directory.Exists(source) ? "is a directory" : "file not found");
        var configPath = options.ConfigPath ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source))!, "model.yaml");
        if (!File.Exists(configPath))
        {
            throw new CheckpointExportException(configPath, options.ConfigPath is null
                ? "no model config beside the source; name the model's ml-mdm config (MlMdmExportOptions.ConfigPath, convert --config)"
                : "model config not found");
        }
        var configCopy = Path.ChangeExtension(destination, ".yaml");
        if (SamePath(configCopy, destination)) throw new CheckpointExportException(destination, "ends in .yaml, the name of the config written beside it; name the checkpoint .pth");
        var copyConfig = !SamePath(configCopy, configPath);
        CheckWritable(source, destination, options.Overwrite);
        if (copyConfig) CheckWritable(source, configCopy, options.Overwrite);

        using var scope = torch.NewDisposeScope();
        using var weights = ExportSource.Read(source, options.Weights, options.InitialWeights);
        var config = ModelConfigFiles.Load(configPath, options.TextEmbeddingDim);
        if (config.TextEmbeddingDim <= 0 && TextWidthFromWeights.Find(config, weights.Tensors) is { } width)
        {
            config = ModelConfigFiles.Load(configPath, width);
        }
        var architecture = ModelMemoryBudget.Check(config, configPath, torch.ScalarType.Float32, options.MemoryLimitBytes).Tensors;
        CheckFits(weights.Tensors, architecture, source, configPath);

        var ordered = architecture.Select(entry => KeyValuePair.Create(entry.Key, Cast(weights.Tensors[entry.Key], options.DType))).ToList();
        var batch = options.BatchNumber ?? weights.Step;
        var items = new KeyValuePair<string, object>[]
        {
            new("batch_num", batch),
            new("best_avg_loss", FreshBestAverageLoss),
            new("exp_avg_loss", 0L),
            new("exp_avg_loss_var", 0L),
        };
        PickleCheckpoint.Save(destination, ordered, items, progress, cancellationToken);
        if (copyConfig)
        {
            var text = File.ReadAllBytes(configPath);
            AtomicFile.Write(configCopy, stream => stream.Write(text));
        }
        return new MlMdmExportResult(destination, copyConfig ? configCopy : configPath, ordered.Count,
            ordered.Sum(p => p.Value.numel() * p.Value.element_size()), batch, weights.Weights, config.TextEmbeddingDim);
    }

    private static torch.Tensor Cast(torch.Tensor tensor, torch.ScalarType? type) =>
        type is { } target && tensor.is_floating_point() && tensor.dtype != target ? tensor.to(target) : tensor;

    /// <summary>The weights must hold exactly the architecture's keys, with its shapes: ml-mdm would drop a stray key silently.</summary>
    private static void CheckFits(IReadOnlyDictionary<string, torch.Tensor> weights, IReadOnlyList<StateDictEntry> architecture, string source, string configPath)
    {
        var expected = architecture.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var missing = architecture.Where(e => !weights.ContainsKey(e.Key)).Select(e => e.Key).ToList();
        var unexpected = weights.Keys.Where(k => !expected.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var mismatch = missing.Count > 0 || unexpected.Count > 0
            ? ModelWeights.KeysMismatch(missing, unexpected)
            : architecture.FirstOrDefault(e => !weights[e.Key].shape.SequenceEqual(e.Shape)) is { } wrong
                ? ModelWeights.ShapeMismatch(wrong.Key, weights[wrong.Key].shape, wrong.Shape)
                : null;
        if (mismatch is not null)
        {
            throw new WeightsMismatchException($"{source} does not fit the architecture of {configPath}, so it is not exported: {mismatch.Message}",
                mismatch.Missing, mismatch.Unexpected);
        }
    }

    private static void CheckWritable(string source, string output, bool overwrite)
    {
        if (Directory.Exists(output)) throw new CheckpointExportException(output, "is a directory");
        var folder = Path.GetDirectoryName(Path.GetFullPath(output));
        if (folder is not null && !Directory.Exists(folder)) throw new CheckpointExportException(output, $"folder {folder} does not exist");
        if (SamePath(source, output)) throw new CheckpointExportException(output, "is the source file; choose another output");
        if (File.Exists(output) && !overwrite) throw new CheckpointExportException(output, "already exists (to replace it: MlMdmExportOptions.Overwrite, convert --force)");
    }

    private static bool SamePath(string a, string b) => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
