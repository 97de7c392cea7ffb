using TorchSharp;

namespace Matryoshka.Diagnostics;

/// <summary>
/// Checks that TorchSharp and libtorch load and compute in this process, and when they do not, names the real cause
/// and the fix instead of TorchSharp's generic message (which blames a missing package for every failure, an old
/// libstdc++ included). What <c>matryoshka doctor</c> runs; an application can call it at start-up or on a support page.
/// </summary>
/// <example>
/// <code>
/// var report = InstallationDoctor.Diagnose();
/// if (!report.IsHealthy) logger.LogError("libtorch: {Cause}\n{Fix}", report.NativeLoad.Kind, report.NativeLoad.Fix);
/// </code>
/// </example>
public static class InstallationDoctor
{
    /// <summary>
    /// Reports versions, backends and (on Linux) libstdc++ facts, diagnoses the native files before TorchSharp's first
    /// call, then loads libtorch's CPU backend and multiplies two 2×2 matrices. Never throws for what it finds.
    /// </summary>
    /// <param name="appDirectory">The application folder holding the native files; null for <see cref="AppContext.BaseDirectory"/>.</param>
    /// <remarks>
    /// A library that loads stays loaded: unloading libtorch from a running process is not safe. Nothing process-wide
    /// (default device, dtype, thread counts) is changed.
    /// </remarks>
    public static InstallationReport Diagnose(string? appDirectory = null)
    {
        appDirectory ??= AppContext.BaseDirectory;
        var backends = NativeFiles.FindBackends(appDirectory);
        var facts = InstallationFacts.Gather(appDirectory, backends);
        var report = new InstallationReport
        {
            AppDirectory = appDirectory,
            TorchSharpVersion = InstallationFacts.TorchSharpVersion(),
            Backends = backends,
            // Before TorchSharp's first call: when its regular load fails, TorchSharp falls back to copying about
            // 0.5 GB of libtorch from the NuGet cache next to the application, and then blames a missing package
            // reference whatever the cause.
            NativeLoad = NativeLoadDiagnosis.Diagnose(appDirectory),
            Facts = facts,
        };
        if (report.NativeLoad.Kind != NativeLoadKind.Healthy)
        {
            facts.Add(new("libtorch", "not loaded (see below)"));
            return report;
        }
        if (LoadNativeBackend() is { } loadFailure)
        {
            facts.Add(new("libtorch", "FAILED to load"));
            return report with
            {
                NativeLoad = report.NativeLoad with
                {
                    Kind = NativeLoadKind.Other,
                    Evidence = [.. report.NativeLoad.Evidence, $"Yet TorchSharp fails: {loadFailure.GetType().Name}: {FirstLine(loadFailure.Message)}"],
                    Fix = DiagnosisFixes.Other,
                },
            };
        }
        return Run(report, facts);
    }

    /// <summary>libtorch's facts and the smoke test; anything libtorch throws now is a finding, not a crash.</summary>
    private static InstallationReport Run(InstallationReport report, List<InstallationFact> facts)
    {
        try
        {
            report = report with { Runtime = TorchRuntimeInfo.Read(facts) };
            var (passed, description) = TorchSmokeTest.Run();
            facts.Add(new("Smoke test", description));
            return report with
            {
                SmokeTestPassed = passed,
                Problem = passed ? null : "libtorch loads but computes a wrong matrix product; the native files may be corrupt or mismatched.",
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return report with { Problem = $"libtorch loaded but failed: {e.GetType().Name}: {e.Message}" };
        }
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

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n');
        return end < 0 ? text : text[..end].TrimEnd();
    }
}
