using System.Globalization;
using Matryoshka.IO.Checkpoints;
using Matryoshka.IO;
using static TorchSharp.torch;

namespace Matryoshka.Training.Checkpoints;

/// <summary>
/// Writes a model's weights as safetensors with ml-mdm's key names, from a PyTorch checkpoint (ml-mdm's trainer
/// files, Apple's released ones, or any torch.save'd state_dict, read with the restricted unpickler: no code from the
/// file runs), a Matryoshka training checkpoint (its record, <c>.json</c>) or a safetensors file (rewritten, its
/// metadata kept); optionally every floating-point tensor is cast, e.g. to halve the size of shipped weights.
/// A few metadata entries say where the tensors came from.
/// </summary>
public static class SafetensorsConversion
{
    /// <summary>Converts <paramref name="from"/> into <paramref name="to"/> (replaced if it exists).</summary>
    /// <exception cref="FileNotFoundException">The input does not exist.</exception>
    /// <exception cref="MatryoshkaException">The input is refused: malformed, unsafe, or a checkpoint that does not verify (the message names the problem).</exception>
    /// <exception cref="OutputPathException"><paramref name="to"/> is a directory, device, FIFO, socket or symbolic link.</exception>
    /// <exception cref="ConversionWriteException">The input was read but the output cannot be written.</exception>
    /// <exception cref="IOException">The input cannot be read.</exception>
    /// <exception cref="ArgumentException">The options are invalid, or <paramref name="to"/> is the input.</exception>
    public static SafetensorsConversionResult Convert(string from, string to, SafetensorsConversionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        options ??= new SafetensorsConversionOptions();
        options.Validate();
        if (string.Equals(Path.GetFullPath(from), Path.GetFullPath(to), StringComparison.Ordinal))
            throw new ArgumentException($"the output is the input file {from}", nameof(to));
        if (!File.Exists(from)) throw new FileNotFoundException($"file not found: {from}", from);
        AtomicFile.EnsureReplaceable(to);

        using var scope = NewDisposeScope();
        var (tensors, metadata, description) = Read(from, options);
        if (options.DType is { } target)
        {
            foreach (var name in tensors.Keys.ToArray())
                if (tensors[name].is_floating_point()) tensors[name] = tensors[name].to(target);
            metadata["dtype"] = SafetensorsConversionOptions.CastTypes.First(pair => pair.Value == target).Key;
        }
        try
        {
            SafetensorsWriter.Save(to, tensors, metadata);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SafetensorsFormatException or OutputPathException)
        {
            throw new ConversionWriteException(to, e);
        }
        return new SafetensorsConversionResult(tensors.Count, tensors.Values.Sum(t => t.NumberOfElements * t.ElementSize), description);
    }

    private static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata, string Description) Read(string from, SafetensorsConversionOptions options)
    {
        if (CheckpointWeights.IsCheckpointRecord(from))
        {
            bool trained = options.Weights == CheckpointWeightsKind.Trained;
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["source"] = Path.GetFileName(from),
                ["source_format"] = "matryoshka training checkpoint",
                ["weights"] = trained ? "trained" : "ema",
                ["converted_by"] = ConvertedBy,
            };
            return (CheckpointWeights.Load(from, options.Weights, options.InitialWeights), metadata,
                trained ? "training checkpoint, trained weights" : "training checkpoint, EMA weights");
        }
        if (from.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            return (SafetensorsReader.Load(from), new Dictionary<string, string>(SafetensorsReader.ReadHeader(from).Metadata, StringComparer.Ordinal), "safetensors");

        using var checkpoint = MlMdmCheckpoint.Load(from);
        string description = checkpoint.Format.ToString().ToLowerInvariant() + " format";
        if (checkpoint.BatchNumber is { } batch) description += string.Create(CultureInfo.InvariantCulture, $", batch_num: {batch}");
        return (checkpoint.StateDict.ToDictionary(p => p.Key, p => p.Value.clone(), StringComparer.Ordinal), Metadata(checkpoint), description);
    }

    // The name the metadata gives the converter (kept from the command-line tool, whose files carry it).
    private const string ConvertedBy = "matryoshka convert";

    private static Dictionary<string, string> Metadata(MlMdmCheckpoint checkpoint)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = "pt",
            ["source"] = Path.GetFileName(checkpoint.SourcePath),
            ["source_format"] = checkpoint.Format == CheckpointFormat.Zip ? "torch zip" : "torch legacy",
            ["converted_by"] = ConvertedBy,
        };
        if (checkpoint.BatchNumber is { } batch) metadata["batch_num"] = batch.ToString(CultureInfo.InvariantCulture);
        return metadata;
    }
}
