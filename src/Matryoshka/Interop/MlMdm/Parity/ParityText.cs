namespace Matryoshka.Interop.MlMdm.Parity;

/// <summary>Writes parity reports as the table <c>matryoshka verify</c> prints: the model, one line per level (or tensor), the verdict.</summary>
public static class ParityText
{
    /// <summary>Writes a diffusion model's <paramref name="report"/>.</summary>
    public static void Write(ParityReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"model    {string.Join(" → ", report.Resolutions)} ({report.TensorsLoaded} tensors loaded from {report.WeightsFile})");
        if (report.Sampling is { } s)
            output.WriteLine(FormattableString.Invariant($"sampling {s.Sampler}, {s.Steps} steps, guidance {s.Guidance}, thresholding {s.Thresholding}"));
        output.WriteLine($"level  resolution  {(report.Sampling is null ? "max abs error  relative error" : "final max abs  relative error  steps max abs")}");
        foreach (var level in report.Levels)
        {
            string steps = level.StepsMaxAbsError is double e ? FormattableString.Invariant($"  {e,13:E3}") : "";
            output.WriteLine(FormattableString.Invariant(
                $"{level.Level,5}  {level.Resolution,10}  {level.MaxAbsError,13:E3}  {level.RelativeError,14:E3}{steps}  {Verdict(level.WithinTolerance)}"));
        }
        WriteVerdict(report.WithinTolerance, report.Tolerance, output);
    }

    /// <summary>Writes a T5 encoder's <paramref name="report"/>.</summary>
    public static void Write(T5ParityReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var config = report.Config;
        output.WriteLine($"model    T5 encoder: {config.NumLayers} layers, d_model {config.ModelDim}, {config.NumHeads} heads, {config.FeedForwardProj} " +
                         $"({report.TensorsLoaded} tensors loaded from {report.WeightsFile})");
        output.WriteLine("tensor             shape            max abs error  relative error");
        output.WriteLine(FormattableString.Invariant(
            $"last_hidden_state  {"[" + string.Join(", ", report.Shape) + "]",-15}  {report.MaxAbsError,13:E3}  {report.RelativeError,14:E3}  {Verdict(report.WithinTolerance)}"));
        WriteVerdict(report.WithinTolerance, report.Tolerance, output);
    }

    private static string Verdict(bool within) => within ? "ok" : "OUTSIDE";

    private static void WriteVerdict(bool within, double tolerance, TextWriter output) =>
        output.WriteLine(FormattableString.Invariant($"{(within ? "within" : "outside")} tolerance {tolerance:G3}"));
}
