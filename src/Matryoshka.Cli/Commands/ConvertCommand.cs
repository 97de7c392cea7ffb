using System.CommandLine;
using System.Globalization;
using Matryoshka.IO;
using TorchSharp;
using Matryoshka.IO.Checkpoints;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka convert --from X.pth --to Y.safetensors [--dtype float16]</c>: reads a PyTorch checkpoint (ml-mdm's
/// trainer files, Apple's released ones, or any torch.save'd state_dict) with the restricted
/// unpickler and writes its state_dict, with ml-mdm's key names, as safetensors. A safetensors input is rewritten
/// (its metadata kept); a training checkpoint's record (<c>.json</c>) gives its EMA weights (<c>--raw</c>: the trained
/// ones); <c>--dtype</c> casts every floating-point tensor, e.g. to halve the size of shipped weights. The other
/// direction, <c>--from X.safetensors|checkpoint.json --to Y.pth --format mlmdm [--config model.yaml]</c>, exports a
/// checkpoint ml-mdm's trainer loads (see <see cref="ConvertToMlMdm"/>).
/// </summary>
internal static class ConvertCommand
{
    /// <summary>Exit code for an input that is missing or refused, or an output that may not be written.</summary>
    internal const int InputRefused = 2;

    /// <summary>Exit code for a failure while writing the output.</summary>
    internal const int WriteFailed = 1;

    public static Command Create()
    {
        var from = new Option<string>("--from")
        {
            Description = "The file to read: a PyTorch checkpoint (.pth, zip or legacy format), a .safetensors file, or a training checkpoint record (.json).",
            Required = true,
        };
        var to = new Option<string>("--to")
        {
            Description = "The file to write: a .safetensors file, or with --format mlmdm a PyTorch checkpoint (.pth) plus its ml-mdm config (.yaml) beside it.",
            Required = true,
        };
        var force = new Option<bool>("--force")
        {
            Description = "Overwrite the output file if it exists.",
        };
        var dtype = new Option<string?>("--dtype")
        {
            Description = "Cast floating-point tensors to float32, float16 or bfloat16 (others are kept).",
        };
        var raw = new Option<bool>("--raw")
        {
            Description = "From a training checkpoint (.json), take the trained weights instead of the EMA.",
        };
        var initialWeights = new Option<string?>("--initial-weights")
        {
            Description = "From a compact training checkpoint (.json), the weights file its run started from, if not at the path its record names.",
        };
        var format = new Option<string?>("--format")
        {
            Description = "safetensors (the default) or mlmdm: a checkpoint ml-mdm's trainer loads (torch.save zip format, loads with weights_only=True), from a .safetensors file or a training checkpoint (.json); see docs/scale-out.md.",
        };
        var config = new Option<string?>("--config")
        {
            Description = "With --format mlmdm: the model's ml-mdm config, which the weights' keys must match (default: model.yaml beside --from).",
        };
        var command = new Command("convert", "Convert both ways between PyTorch and safetensors, without running any code from a checkpoint: "
            + "import a PyTorch checkpoint's state_dict (--from X.pth --to Y.safetensors), recast a safetensors file, or export "
            + "weights or a training checkpoint for ml-mdm (--from X.safetensors|checkpoint.json --to Y.pth --format mlmdm [--config model.yaml]).");
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(force);
        command.Options.Add(dtype);
        command.Options.Add(raw);
        command.Options.Add(initialWeights);
        command.Options.Add(format);
        command.Options.Add(config);
        command.SetAction(parse => Run(
            parse.GetValue(from)!,
            parse.GetValue(to)!,
            parse.GetValue(force),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            parse.GetValue(dtype),
            parse.GetValue(raw),
            parse.GetValue(initialWeights),
            parse.GetValue(format),
            parse.GetValue(config)));
        return command;
    }

    internal static int Run(string from, string to, bool force, TextWriter stdout, TextWriter stderr, string? dtype = null, bool raw = false,
        string? initialWeights = null, string? format = null, string? config = null)
    {
        torch.ScalarType? cast = null;
        if (dtype is not null)
        {
            if (!CastTypes.TryGetValue(dtype, out var type))
            {
                stderr.WriteLine($"refused: --dtype '{dtype}' is not one of {string.Join(", ", CastTypes.Keys)}");
                return InputRefused;
            }
            cast = type;
        }
        if (!File.Exists(from))
        {
            stderr.WriteLine(Directory.Exists(from) ? $"not a file: {from} is a directory" : $"file not found: {from}");
            return InputRefused;
        }
        if (Refusal(from, to, force) is { } refusal)
        {
            stderr.WriteLine(refusal);
            return InputRefused;
        }
        if (format is not (null or "safetensors" or "mlmdm"))
        {
            stderr.WriteLine($"refused: --format '{format}' is not one of safetensors, mlmdm");
            return InputRefused;
        }
        if (config is not null && format != "mlmdm")
        {
            stderr.WriteLine("refused: --config applies to --format mlmdm only");
            return InputRefused;
        }
        if (format == "mlmdm") return ConvertToMlMdm.Run(from, to, ConvertToMlMdm.Options(config, raw, initialWeights, cast, force), stdout, stderr);

        using var scope = torch.NewDisposeScope();
        Dictionary<string, torch.Tensor> tensors;
        Dictionary<string, string> metadata;
        string description;
        try
        {
            if (from.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                tensors = CheckpointWeights.Read(from, raw, initialWeights);
                metadata = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["source"] = Path.GetFileName(from),
                    ["source_format"] = "matryoshka training checkpoint",
                    ["weights"] = raw ? "trained" : "ema",
                    ["converted_by"] = "matryoshka convert",
                };
                description = raw ? "training checkpoint, trained weights" : "training checkpoint, EMA weights";
            }
            else if (from.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            {
                tensors = SafetensorsReader.Load(from);
                metadata = new Dictionary<string, string>(SafetensorsReader.ReadHeader(from).Metadata, StringComparer.Ordinal);
                description = "safetensors";
            }
            else
            {
                using var checkpoint = MlMdmCheckpoint.Load(from);
                tensors = checkpoint.StateDict.ToDictionary(p => p.Key, p => p.Value.clone(), StringComparer.Ordinal);
                metadata = Metadata(checkpoint);
                description = checkpoint.Format.ToString().ToLowerInvariant() + " format";
                if (checkpoint.BatchNumber is { } batch) description += string.Create(CultureInfo.InvariantCulture, $", batch_num: {batch}");
            }
        }
        catch (MatryoshkaException ex)
        {
            stderr.WriteLine($"refused: {ex.Message}");
            return InputRefused;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"cannot read {from}: {ex.Message}");
            return InputRefused;
        }

        if (cast is { } target)
        {
            foreach (var name in tensors.Keys.ToArray())
                if (tensors[name].is_floating_point()) tensors[name] = tensors[name].to(target);
            metadata["dtype"] = dtype!.ToLowerInvariant();
        }
        try
        {
            SafetensorsWriter.Save(to, tensors, metadata);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SafetensorsFormatException)
        {
            stderr.WriteLine($"cannot write {to}: {ex.Message}");
            return WriteFailed;
        }
        var bytes = tensors.Values.Sum(t => t.NumberOfElements * t.ElementSize);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"converted {tensors.Count:N0} tensors ({bytes:N0} bytes) from {from} ({description}) to {to}"));
        return 0;
    }

    private static readonly Dictionary<string, torch.ScalarType> CastTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["float32"] = torch.ScalarType.Float32,
        ["float16"] = torch.ScalarType.Float16,
        ["bfloat16"] = torch.ScalarType.BFloat16,
    };

    /// <summary>Why the output may not be written, checked before the (possibly large) input is read.</summary>
    private static string? Refusal(string from, string to, bool force)
    {
        if (Directory.Exists(to))
        {
            return $"cannot write {to}: it is a directory";
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(to));
        if (folder is not null && !Directory.Exists(folder))
        {
            return $"cannot write {to}: folder {folder} does not exist";
        }
        if (string.Equals(Path.GetFullPath(from), Path.GetFullPath(to), StringComparison.Ordinal))
        {
            return $"--to is the input file {from}; choose another output";
        }
        if (File.Exists(to) && !force)
        {
            return $"{to} already exists; use --force to overwrite it";
        }
        return null;
    }

    /// <summary>A few string entries saying where the tensors came from.</summary>
    private static Dictionary<string, string> Metadata(MlMdmCheckpoint checkpoint)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = "pt",
            ["source"] = Path.GetFileName(checkpoint.SourcePath),
            ["source_format"] = checkpoint.Format == CheckpointFormat.Zip ? "torch zip" : "torch legacy",
            ["converted_by"] = "matryoshka convert",
        };
        if (checkpoint.BatchNumber is { } batch)
        {
            metadata["batch_num"] = batch.ToString(CultureInfo.InvariantCulture);
        }
        return metadata;
    }
}
