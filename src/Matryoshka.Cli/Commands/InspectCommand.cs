using System.CommandLine;
using Matryoshka.IO;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka inspect FILE</c>: validates a file and describes what it holds. The file's
/// extension picks the reader; only .safetensors is supported so far (model configs come later).
/// </summary>
internal static class InspectCommand
{
    /// <summary>Exit code for a file that is missing, unsupported or refused.</summary>
    internal const int InputRefused = 2;

    public static Command Create()
    {
        var file = new Argument<string>("file")
        {
            Description = "The file to inspect (.safetensors).",
        };
        var command = new Command("inspect", "Validate a .safetensors file and list its tensors, metadata and totals.");
        command.Arguments.Add(file);
        command.SetAction(parse => Run(
            parse.GetValue(file)!,
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string path, TextWriter stdout, TextWriter stderr)
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
                return InspectSafetensors(path, stdout, stderr);
            case ".json" or ".yaml" or ".yml":
                stderr.WriteLine($"cannot inspect {path}: model configs ({extension}) are not supported yet; inspect reads .safetensors files");
                return InputRefused;
            default:
                stderr.WriteLine($"cannot inspect {path}: unsupported file type '{extension}' (supported: .safetensors)");
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
}
