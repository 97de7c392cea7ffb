using System.Globalization;
using Matryoshka.IO.Checkpoints;
using Matryoshka.Training.Checkpoints;

namespace Matryoshka.Cli.Commands;

/// <summary><c>convert --to Y.pth --format mlmdm</c>: prints what <see cref="MlMdmCheckpointExport.Export"/> wrote, or why not.</summary>
internal static class ConvertToMlMdm
{
    public static int Run(string from, string to, MlMdmExportOptions options, TextWriter stdout, TextWriter stderr)
    {
        MlMdmExportResult result;
        try
        {
            result = MlMdmCheckpointExport.Export(from, to, options);
        }
        catch (MatryoshkaException ex)
        {
            stderr.WriteLine($"refused: {ex.Message}");
            return ConvertCommand.InputRefused;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"cannot convert {from} to {to}: {ex.Message}");
            return ConvertCommand.WriteFailed;
        }
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"exported {result.TensorCount:N0} tensors ({result.TensorBytes:N0} bytes, {result.Weights}, batch_num {result.BatchNumber}) from {from} to {to} (ml-mdm checkpoint, loads with torch.load(weights_only=True)); config: {result.ConfigPath}"));
        return 0;
    }

    /// <summary>The export options from convert's arguments.</summary>
    public static MlMdmExportOptions Options(string? config, bool raw, string? initialWeights, string? dtype, bool force) => new()
    {
        ConfigPath = config,
        Weights = raw ? CheckpointWeightsKind.Trained : CheckpointWeightsKind.Ema,
        InitialWeights = initialWeights,
        DType = dtype is null ? null : SafetensorsConversionOptions.CastTypes[dtype],
        Overwrite = force,
    };
}
