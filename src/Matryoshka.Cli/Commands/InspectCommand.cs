using System.CommandLine;
using Matryoshka.Conditioning.T5;
using Matryoshka.Models;
using Matryoshka.Models.Inspection;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka inspect FILE</c>: validates a file and describes what it holds (<see cref="ModelInspector"/>): a
/// .safetensors file's tensors, or an ml-mdm model config's levels with their parameter counts and forward FLOPs, the
/// state_dict size and the weight memory, and what its diffusion_config does (or why it is refused).
/// </summary>
internal static class InspectCommand
{
    /// <summary>Exit code for a file that is missing, unsupported or refused.</summary>
    internal const int InputRefused = 2;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The file to inspect: .safetensors, or an ml-mdm model config (.yaml, .yml, .json)." };
        var textDim = new Option<int?>("--text-dim") { Description = "Text embedding width for a model config that leaves it to run time (2048 for ml-mdm's flan-t5-xl)." };
        var textLength = new Option<int?>("--text-length") { Description = $"Text tokens the FLOP counts assume for cross-attention and the text projections (default {ModelFlops.DefaultTextLength})." };
        var t5 = new Option<string?>("--t5")
        {
            Description = "A T5 text encoder for the model: its Hugging Face config.json or 'flan-t5-xl' (what ml-mdm's released models use); sets the text width and adds the encoder's parameters and memory.",
        };
        var json = new Option<bool>("--json") { Description = "Print a model config's summary as one JSON object." };
        var command = new Command("inspect",
            "Validate a .safetensors file and list its tensors, metadata and totals, or summarise an ml-mdm model config: " +
            "levels, parameters and forward FLOPs per level, state_dict tensors and weight memory.");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { textDim, textLength, json, t5 }) command.Options.Add(option);
        command.SetAction(parse => Run(parse.GetValue(file)!,
            new InspectOptions(parse.GetValue(textDim), parse.GetValue(json), parse.GetValue(textLength), parse.GetValue(t5)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string path, TextWriter stdout, TextWriter stderr) => Run(path, new InspectOptions(), stdout, stderr);

    internal static int Run(string path, InspectOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (Refusal(path, options) is { } refusal)
        {
            stderr.WriteLine(refusal);
            return InputRefused;
        }
        try
        {
            var encoder = options.T5 is null ? null
                : options.T5.Equals("flan-t5-xl", StringComparison.OrdinalIgnoreCase) ? T5EncoderConfig.FlanT5Xl : T5EncoderConfig.FromFile(options.T5);
            if (encoder is not null && options.TextDim is { } width && width != encoder.ModelDim)
            {
                stderr.WriteLine($"refused: --text-dim {width} contradicts the T5 encoder's width {encoder.ModelDim}");
                return InputRefused;
            }
            var report = ModelInspector.Inspect(path, new ModelInspectionOptions
            {
                TextEmbeddingDim = options.TextDim,
                TextLength = options.TextLength ?? ModelFlops.DefaultTextLength,
                TextEncoder = encoder,
                TextEncoderName = options.T5,
            });
            if (options.Json && report is ModelConfigInspection model) InspectionJson.Write(model, stdout);
            else InspectionText.Write(report, stdout);
            if (report is ModelConfigInspection { Warnings: var warnings })
                foreach (var warning in warnings) stderr.WriteLine($"warning: {warning}");
            return 0;
        }
        catch (Exception e) when (e is MatryoshkaException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(e switch
            {
                UnsupportedInspectionFileException => $"cannot inspect {path}: {e.Message}",
                MatryoshkaException => $"refused: {e.Message}",
                _ => $"cannot read {path}: {e.Message}",
            });
        }
        return InputRefused;
    }

    // What the command line asks that cannot work, said before any file is read.
    private static string? Refusal(string path, InspectOptions options)
    {
        if (!File.Exists(path)) return Directory.Exists(path) ? $"not a file: {path} is a directory" : $"file not found: {path}";
        bool modelOptions = options.TextDim is not null || options.TextLength is not null || options.Json || options.T5 is not null;
        if (modelOptions && Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase))
            return $"cannot inspect {path}: --text-dim, --text-length, --t5 and --json apply to model configs (.yaml, .yml, .json), not to .safetensors files";
        if (options.TextDim is <= 0) return $"refused: --text-dim must be positive; got {options.TextDim}";
        if (options.TextLength is <= 0) return $"refused: --text-length must be positive; got {options.TextLength}";
        return null;
    }
}
