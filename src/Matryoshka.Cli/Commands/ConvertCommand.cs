using System.CommandLine;
using System.Globalization;
using Matryoshka.IO;
using Matryoshka.IO.Checkpoints;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka convert --from X.pth --to Y.safetensors</c>: reads a PyTorch checkpoint (ml-mdm's
/// trainer files, Apple's released ones, or any torch.save'd state_dict) with the restricted
/// unpickler and writes its state_dict, with ml-mdm's key names, as safetensors.
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
            Description = "The PyTorch checkpoint to read (.pth, zip or legacy format).",
            Required = true,
        };
        var to = new Option<string>("--to")
        {
            Description = "The .safetensors file to write.",
            Required = true,
        };
        var force = new Option<bool>("--force")
        {
            Description = "Overwrite the output file if it exists.",
        };
        var command = new Command("convert", "Convert a PyTorch checkpoint's state_dict to safetensors, without running any code from it.");
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(force);
        command.SetAction(parse => Run(
            parse.GetValue(from)!,
            parse.GetValue(to)!,
            parse.GetValue(force),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string from, string to, bool force, TextWriter stdout, TextWriter stderr)
    {
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

        MlMdmCheckpoint checkpoint;
        try
        {
            checkpoint = MlMdmCheckpoint.Load(from);
        }
        catch (CheckpointFormatException ex)
        {
            stderr.WriteLine($"refused: {ex.Message}");
            return InputRefused;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"cannot read {from}: {ex.Message}");
            return InputRefused;
        }

        using (checkpoint)
        {
            try
            {
                SafetensorsWriter.Save(to, checkpoint.StateDict, Metadata(checkpoint));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SafetensorsFormatException)
            {
                stderr.WriteLine($"cannot write {to}: {ex.Message}");
                return WriteFailed;
            }
            var bytes = checkpoint.StateDict.Values.Sum(t => t.NumberOfElements * t.ElementSize);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"converted {checkpoint.StateDict.Count:N0} tensors ({bytes:N0} bytes) from {from} ({checkpoint.Format.ToString().ToLowerInvariant()} format) to {to}"));
            if (checkpoint.BatchNumber is { } batch)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch_num: {batch}"));
            }
        }
        return 0;
    }

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
