using System.CommandLine;
using Matryoshka.Cli.Diagnostics;
using TorchSharp;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka doctor</c>: reports the TorchSharp installation, loads libtorch and runs a tiny
/// computation; when loading fails, names the real cause and the fix instead of TorchSharp's generic message.
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
        var report = new ReportWriter(stdout, AppContext.BaseDirectory);
        stdout.WriteLine("matryoshka doctor");
        InstallationFacts.Write(report);

        // Diagnose before TorchSharp's first call: when its regular load fails, TorchSharp falls back to
        // copying about 0.5 GB of libtorch from the NuGet cache next to the application, and then blames a
        // missing package reference whatever the cause.
        var diagnosis = NativeLoadDiagnosis.Diagnose(report.AppDirectory);
        if (diagnosis.Kind != NativeLoadKind.Healthy)
        {
            report.Line("libtorch", "not loaded (see below)");
            WriteLoadFailure(stderr, diagnosis);
            return 1;
        }

        if (LoadNativeBackend() is { } loadFailure)
        {
            report.Line("libtorch", "FAILED to load");
            WriteLoadFailure(stderr, diagnosis with
            {
                Kind = NativeLoadKind.Other,
                Evidence = [.. diagnosis.Evidence, $"Yet TorchSharp fails: {loadFailure.GetType().Name}: {FirstLine(loadFailure.Message)}"],
                Fix = DiagnosisFixes.Other,
            });
            return 1;
        }

        try
        {
            TorchRuntimeFacts.Write(report);
            var (passed, description) = TorchSmokeTest.Run();
            report.Line("Smoke test", description);
            if (!passed)
            {
                stderr.WriteLine("error: libtorch loads but computes a wrong matrix product; the native files may be corrupt or mismatched.");
                return 1;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Anything libtorch throws after loading is a finding, not a crash of the doctor.
            stderr.WriteLine($"error: libtorch loaded but failed: {e.GetType().Name}: {e.Message}");
            return 1;
        }

        stdout.WriteLine("Healthy: TorchSharp loads libtorch and computes correctly.");
        return 0;
    }

    /// <summary>The first call into native code; null when it loaded, else what TorchSharp threw.</summary>
    private static Exception? LoadNativeBackend()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e is TypeInitializationException { InnerException: { } inner } ? inner : e;
        }
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

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n');
        return end < 0 ? text : text[..end].TrimEnd();
    }
}
