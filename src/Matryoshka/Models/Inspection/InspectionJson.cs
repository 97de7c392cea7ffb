namespace Matryoshka.Models.Inspection;

/// <summary>Writes a <see cref="ModelConfigInspection"/> as the JSON object <c>matryoshka inspect --json</c> prints (snake_case fields).</summary>
public static class InspectionJson
{
    /// <summary>Writes <paramref name="report"/> as one indented JSON object and a newline.</summary>
    public static void Write(ModelConfigInspection report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        ModelConfigJson.Write(report.Path, report.Summary, report.Flops, report.Diffusion, output);
    }
}
