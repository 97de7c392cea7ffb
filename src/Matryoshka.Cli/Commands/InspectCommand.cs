using System.CommandLine;
using Matryoshka.Conditioning.T5;
using Matryoshka.IO;
using Matryoshka.Models;
using Matryoshka.Models.MlMdm;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka inspect FILE</c>: validates a file and describes what it holds. The file's extension picks the
/// reader: .safetensors lists tensors; an ml-mdm model config (.yaml/.yml, or a fixture's config.json) lists the
/// levels with their parameter counts and forward FLOPs, the state_dict size and the weight memory, without allocating
/// the weights, and what its diffusion_config does (or why it is refused).
/// </summary>
internal static class InspectCommand
{
    /// <summary>Exit code for a file that is missing, unsupported or refused.</summary>
    internal const int InputRefused = 2;

    public static Command Create()
    {
        var file = new Argument<string>("file")
        {
            Description = "The file to inspect: .safetensors, or an ml-mdm model config (.yaml, .yml, .json).",
        };
        var textDim = new Option<int?>("--text-dim")
        {
            Description = "Text embedding width for a model config that leaves it to run time (2048 for ml-mdm's flan-t5-xl).",
        };
        var textLength = new Option<int?>("--text-length")
        {
            Description = $"Text tokens the FLOP counts assume for cross-attention and the text projections (default {ModelFlops.DefaultTextLength}).",
        };
        var t5 = new Option<string?>("--t5")
        {
            Description = "A T5 text encoder for the model: its Hugging Face config.json or 'flan-t5-xl' (what ml-mdm's released models use); " +
                          "sets the text width and adds the encoder's parameters and memory.",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print a model config's summary as one JSON object.",
        };
        var command = new Command("inspect",
            "Validate a .safetensors file and list its tensors, metadata and totals, or summarise an ml-mdm model config: " +
            "levels, parameters and forward FLOPs per level, state_dict tensors and weight memory.");
        command.Arguments.Add(file);
        command.Options.Add(textDim);
        command.Options.Add(textLength);
        command.Options.Add(json);
        command.Options.Add(t5);
        command.SetAction(parse => Run(
            parse.GetValue(file)!,
            new InspectOptions(parse.GetValue(textDim), parse.GetValue(json), parse.GetValue(textLength), parse.GetValue(t5)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string path, TextWriter stdout, TextWriter stderr) => Run(path, new InspectOptions(), stdout, stderr);

    internal static int Run(string path, InspectOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(path))
        {
            stderr.WriteLine(Directory.Exists(path)
                ? $"not a file: {path} is a directory"
                : $"file not found: {path}");
            return InputRefused;
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        switch (extension)
        {
            case ".safetensors":
                if (options.TextDim is not null || options.TextLength is not null || options.Json || options.T5 is not null)
                {
                    stderr.WriteLine($"cannot inspect {path}: --text-dim, --text-length, --t5 and --json apply to model configs (.yaml, .yml, .json), not to .safetensors files");
                    return InputRefused;
                }
                return InspectSafetensors(path, stdout, stderr);
            case ".json" or ".yaml" or ".yml":
                return InspectModelConfig(path, extension, options, stdout, stderr);
            default:
                stderr.WriteLine($"cannot inspect {path}: unsupported file type '{extension}' (supported: .safetensors, .yaml, .yml, .json)");
                return InputRefused;
        }
    }

    private static int InspectSafetensors(string path, TextWriter stdout, TextWriter stderr)
    {
        SafetensorsHeader header;
        try
        {
            header = SafetensorsReader.ReadHeader(path);
        }
        catch (SafetensorsFormatException ex)
        {
            stderr.WriteLine($"refused: {ex.Message}");
            return InputRefused;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"cannot read {path}: {ex.Message}");
            return InputRefused;
        }
        SafetensorsReport.Write(path, header, stdout);
        return 0;
    }

    private static int InspectModelConfig(string path, string extension, InspectOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (options.TextDim is <= 0)
        {
            stderr.WriteLine($"refused: --text-dim must be positive; got {options.TextDim}");
            return InputRefused;
        }
        if (options.TextLength is <= 0)
        {
            stderr.WriteLine($"refused: --text-length must be positive; got {options.TextLength}");
            return InputRefused;
        }
        ModelSummary summary;
        ModelFlops flops;
        MlMdmDiffusionConfig? diffusion;
        T5EncoderConfig? encoder = null;
        try
        {
            if (options.T5 is { } t5)
            {
                encoder = t5.Equals("flan-t5-xl", StringComparison.OrdinalIgnoreCase) ? T5EncoderConfig.FlanT5Xl : T5EncoderConfig.FromFile(t5);
                if (options.TextDim is { } width && width != encoder.ModelDim)
                {
                    stderr.WriteLine($"refused: --text-dim {width} contradicts the T5 encoder's width {encoder.ModelDim}");
                    return InputRefused;
                }
            }
            var config = ModelConfigFiles.Load(path, encoder?.ModelDim ?? options.TextDim);
            summary = ModelSummary.Of(config);
            flops = ModelFlops.Of(summary.Plan, options.TextLength ?? ModelFlops.DefaultTextLength);
            diffusion = MlMdmDiffusionConfig.FromFileIfPresent(path);
            diffusion?.CreateSchedule(summary.Plan.Resolutions);
        }
        catch (ModelConfigurationException ex)
        {
            stderr.WriteLine($"refused: {ex.Field}: {ex.Problem}");
            return InputRefused;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"cannot read {path}: {ex.Message}");
            return InputRefused;
        }
        if (options.Json) ModelConfigJson.Write(path, summary, flops, diffusion, stdout);
        else
        {
            ModelConfigReport.Write(path, summary, flops, stdout);
            if (diffusion is not null)
            {
                stdout.WriteLine();
                DiffusionConfigReport.Write(diffusion, summary.Plan, stdout);
            }
        }
        if (encoder is not null && !options.Json) ModelConfigReport.WriteTextEncoder(options.T5!, encoder, summary, stdout);
        return 0;
    }
}
