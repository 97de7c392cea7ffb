using System.CommandLine;
using System.Globalization;
using Matryoshka.Training.Checkpoints;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka convert --from X.pth --to Y.safetensors [--dtype float16]</c>: a PyTorch checkpoint, a training
/// checkpoint's record (<c>.json</c>: its EMA weights, <c>--raw</c>: the trained ones) or a safetensors file, written as
/// safetensors with ml-mdm's key names (<see cref="SafetensorsConversion"/>); no code from the input runs. The other
/// direction, <c>--from X.safetensors|checkpoint.json --to Y.pth --format mlmdm [--config model.yaml]</c>, exports a
/// checkpoint ml-mdm's trainer loads (<see cref="ConvertToMlMdm"/>).
/// </summary>
internal static class ConvertCommand
{
    /// <summary>Exit code for an input that is missing or refused, or an output that may not be written.</summary>
    internal const int InputRefused = 2;

    /// <summary>Exit code for a failure while writing the output.</summary>
    internal const int WriteFailed = 1;

    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "The file to read: a PyTorch checkpoint (.pth, zip or legacy format), a .safetensors file, or a training checkpoint record (.json).", Required = true };
        var to = new Option<string>("--to") { Description = "The file to write: a .safetensors file, or with --format mlmdm a PyTorch checkpoint (.pth) plus its ml-mdm config (.yaml) beside it.", Required = true };
        var force = new Option<bool>("--force") { Description = "Overwrite the output file if it exists." };
        var dtype = new Option<string?>("--dtype") { Description = "Cast floating-point tensors to float32, float16 or bfloat16 (others are kept)." };
        var raw = new Option<bool>("--raw") { Description = "From a training checkpoint (.json), take the trained weights instead of the EMA." };
        var initialWeights = new Option<string?>("--initial-weights") { Description = "From a compact training checkpoint (.json), the weights file its run started from, if not at the path its record names." };
        var format = new Option<string?>("--format") { Description = "safetensors (the default) or mlmdm: a checkpoint ml-mdm's trainer loads (torch.save zip format, loads with weights_only=True), from a .safetensors file or a training checkpoint (.json); see docs/scale-out.md." };
        var config = new Option<string?>("--config") { Description = "With --format mlmdm: the model's ml-mdm config, which the weights' keys must match (default: model.yaml beside --from)." };
        var command = new Command("convert", "Convert both ways between PyTorch and safetensors, without running any code from a checkpoint: "
            + "import a PyTorch checkpoint's state_dict (--from X.pth --to Y.safetensors), recast a safetensors file, or export "
            + "weights or a training checkpoint for ml-mdm (--from X.safetensors|checkpoint.json --to Y.pth --format mlmdm [--config model.yaml]).");
        foreach (var option in new Option[] { from, to, force, dtype, raw, initialWeights, format, config }) command.Options.Add(option);
        command.SetAction(parse => Run(parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(force), parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error, parse.GetValue(dtype), parse.GetValue(raw), parse.GetValue(initialWeights), parse.GetValue(format), parse.GetValue(config)));
        return command;
    }

    internal static int Run(string from, string to, bool force, TextWriter stdout, TextWriter stderr, string? dtype = null, bool raw = false,
        string? initialWeights = null, string? format = null, string? config = null)
    {
        if ((Refusal(from, to, force, dtype) ?? FormatRefusal(format, config)) is { } refusal)
        {
            stderr.WriteLine(refusal);
            return InputRefused;
        }
        if (format == "mlmdm") return ConvertToMlMdm.Run(from, to, ConvertToMlMdm.Options(config, raw, initialWeights, dtype, force), stdout, stderr);
        var options = new SafetensorsConversionOptions
        {
            DType = dtype is null ? null : SafetensorsConversionOptions.CastTypes[dtype],
            Weights = raw ? CheckpointWeightsKind.Trained : CheckpointWeightsKind.Ema,
            InitialWeights = initialWeights,
        };
        try
        {
            var result = SafetensorsConversion.Convert(from, to, options);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"converted {result.TensorCount:N0} tensors ({result.Bytes:N0} bytes) from {from} ({result.SourceDescription}) to {to}"));
            return 0;
        }
        catch (Exception ex) when (ex is MatryoshkaException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(ex switch
            {
                ConversionWriteException => ex.Message,
                MatryoshkaException => $"refused: {ex.Message}",
                _ => $"cannot read {from}: {ex.Message}",
            });
            return ex is ConversionWriteException ? WriteFailed : InputRefused;
        }
    }

    private static string? FormatRefusal(string? format, string? config) =>
        format is not (null or "safetensors" or "mlmdm") ? $"refused: --format '{format}' is not one of safetensors, mlmdm"
        : config is not null && format != "mlmdm" ? "refused: --config applies to --format mlmdm only"
        : null;

    /// <summary>Why the command may not run, checked before the (possibly large) input is read.</summary>
    private static string? Refusal(string from, string to, bool force, string? dtype)
    {
        if (dtype is not null && !SafetensorsConversionOptions.CastTypes.ContainsKey(dtype))
            return $"refused: --dtype '{dtype}' is not one of {string.Join(", ", SafetensorsConversionOptions.CastTypes.Keys)}";
        if (!File.Exists(from)) return Directory.Exists(from) ? $"not a file: {from} is a directory" : $"file not found: {from}";
        if (Directory.Exists(to)) return $"cannot write {to}: it is a directory";
        var folder = Path.GetDirectoryName(Path.GetFullPath(to));
        if (folder is not null && !Directory.Exists(folder)) return $"cannot write {to}: folder {folder} does not exist";
        if (string.Equals(Path.GetFullPath(from), Path.GetFullPath(to), StringComparison.Ordinal)) return $"--to is the input file {from}; choose another output";
        if (File.Exists(to) && !force) return $"{to} already exists; use --force to overwrite it";
        return null;
    }
}
