namespace Matryoshka.Diagnostics;

/// <summary>
/// What <see cref="InstallationDoctor.Diagnose"/> found: whether TorchSharp's native libraries load here, why not,
/// and what to do about it; the facts are the lines <c>matryoshka doctor</c> prints.
/// </summary>
public sealed record InstallationReport
{
    /// <summary>The application folder examined (where the runtime looks for native files).</summary>
    public required string AppDirectory { get; init; }

    /// <summary>The managed TorchSharp version, e.g. <c>0.107.0</c>.</summary>
    public required string TorchSharpVersion { get; init; }

    /// <summary>The libtorch backend libraries found next to the application (CPU, CUDA), most likely first.</summary>
    public required IReadOnlyList<NativeBackend> Backends { get; init; }

    /// <summary>Whether the native libraries load, else the cause, its evidence and the fix.</summary>
    public required NativeLoadDiagnosis NativeLoad { get; init; }

    /// <summary>libtorch's own facts; null when it did not load (or failed before answering).</summary>
    public TorchRuntimeInfo? Runtime { get; init; }

    /// <summary>Whether a 2×2 matrix product on the CPU came out exact; false when it was not run.</summary>
    public bool SmokeTestPassed { get; init; }

    /// <summary>What went wrong after libtorch loaded (a wrong product, an error), in words; null otherwise.</summary>
    public string? Problem { get; init; }

    /// <summary>Every fact gathered, in order, as label and value lines.</summary>
    public required IReadOnlyList<InstallationFact> Facts { get; init; }

    /// <summary>Whether libtorch loads and computes correctly here.</summary>
    public bool IsHealthy => NativeLoad.Kind == NativeLoadKind.Healthy && SmokeTestPassed && Problem is null;
}
