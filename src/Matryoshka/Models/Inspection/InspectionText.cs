namespace Matryoshka.Models.Inspection;

/// <summary>Writes an <see cref="InspectionReport"/> as the text <c>matryoshka inspect</c> prints.</summary>
public static class InspectionText
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="output"/>.</summary>
    public static void Write(InspectionReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        switch (report)
        {
            case SafetensorsInspection file:
                SafetensorsText.Write(file.Path, file.Header, output);
                break;
            case ModelConfigInspection model:
                ModelConfigText.Write(model.Path, model.Summary, model.Flops, output);
                if (model.Diffusion is { } diffusion)
                {
                    output.WriteLine();
                    DiffusionConfigDescription.Write(diffusion, model.Summary.Plan, output);
                }
                if (model.TextEncoder is { } encoder)
                    ModelConfigText.WriteTextEncoder(model.TextEncoderName ?? "T5", encoder, model.Summary, output);
                break;
            default:
                throw new ArgumentException($"unknown report type {report.GetType().Name}", nameof(report));
        }
    }
}
