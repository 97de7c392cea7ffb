using System.CommandLine;
using Matryoshka.Diagnostics;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka doctor</c>: prints <see cref="InstallationDoctor.Diagnose"/>'s report — the TorchSharp installation,
/// libtorch loaded and a tiny computation; when loading fails, the real cause and the fix.
/// </summary>
internal static class DoctorCommand
{
    /// <summary>Creates the <c>doctor</c> command.</summary>
    public static Command Create()
    {
        var command = new Command("doctor",
            "Check that TorchSharp and libtorch load and compute here; explain load failures and how to fix them.");
        command.SetAction(parseResult => Run(
            parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Writes the report to <paramref name="stdout"/>, problems to <paramref name="stderr"/>.</summary>
    /// <returns>0 when libtorch loads and computes correctly, 1 otherwise.</returns>
    internal static int Run(TextWriter stdout, TextWriter stderr)
    {
        var report = InstallationDoctor.Diagnose();
        stdout.WriteLine("matryoshka doctor");
        foreach (var fact in report.Facts) WriteFact(stdout, fact);
        if (report.NativeLoad.Kind != NativeLoadKind.Healthy)
        {
            WriteLoadFailure(stderr, report.NativeLoad);
            return 1;
        }
        if (report.Problem is { } problem)
        {
            stderr.WriteLine($"error: {problem}");
            return 1;
        }
        stdout.WriteLine("Healthy: TorchSharp loads libtorch and computes correctly.");
        return 0;
    }

    /// <summary>One fact as an aligned "label  value" line; continuation lines are indented under the value.</summary>
    private static void WriteFact(TextWriter stdout, InstallationFact fact)
    {
        const int LabelWidth = 13;
        var lines = fact.Value.Split('\n');
        stdout.WriteLine($"  {fact.Label.PadRight(LabelWidth)}{lines[0]}");
        foreach (var line in lines.Skip(1)) stdout.WriteLine($"  {new string(' ', LabelWidth)}{line}");
    }

    private static void WriteLoadFailure(TextWriter stderr, NativeLoadDiagnosis diagnosis)
    {
        stderr.WriteLine();
        stderr.WriteLine($"error: TorchSharp's native libraries cannot load. Cause: {Describe(diagnosis.Kind)}.");
        foreach (var line in diagnosis.Evidence) stderr.WriteLine($"  - {line}");
        stderr.WriteLine("Fix:");
        foreach (var line in diagnosis.Fix.Split('\n')) stderr.WriteLine($"  {line}");
    }

    private static string Describe(NativeLoadKind kind) => kind switch
    {
        NativeLoadKind.MissingBackend => "no libtorch backend package",
        NativeLoadKind.LibStdCxxTooOld => "the system libstdc++ is older than TorchSharp's shim requires",
        _ => "other (details below)",
    };
}
