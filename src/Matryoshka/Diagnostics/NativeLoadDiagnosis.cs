namespace Matryoshka.Diagnostics;

/// <summary>
/// Why TorchSharp's native libraries do or do not load from an application folder, worked out from the
/// files themselves rather than from TorchSharp's message (which blames a missing libtorch reference for
/// every failure, including an old libstdc++).
/// </summary>
/// <param name="Kind">The cause found.</param>
/// <param name="Evidence">The facts that show it, one per line.</param>
/// <param name="Fix">What to do about it; empty when healthy.</param>
public sealed record NativeLoadDiagnosis(NativeLoadKind Kind, IReadOnlyList<string> Evidence, string Fix)
{
    /// <summary>
    /// Examines <paramref name="appDirectory"/>: are the backend and the shim there, does the dynamic loader
    /// accept the shim, and if not, do its libstdc++ version needs (Linux) explain why.
    /// </summary>
    /// <remarks>
    /// The loader decides, the ELF tables explain: the system libstdc++ found here may not be the one the
    /// loader picks (LD_LIBRARY_PATH, ld.so.cache order), so unsatisfied needs alone do not condemn a shim
    /// that loads. A shim that loads stays loaded (see <see cref="NativeLoaderProbe"/>).
    /// </remarks>
    internal static NativeLoadDiagnosis Diagnose(string appDirectory)
    {
        var backends = NativeFiles.FindBackends(appDirectory);
        if (backends.Count == 0)
        {
            var names = string.Join(" or ", NativeFiles.BackendFileNames().Select(b => b.FileName));
            return new(NativeLoadKind.MissingBackend,
                [$"No {names} in {appDirectory} or its runtimes/*/native folders."],
                DiagnosisFixes.MissingBackend);
        }

        var evidence = backends.Select(b => $"{b.Name} backend: {b.Path}").ToList();
        var shim = NativeFiles.Find(appDirectory, NativeFiles.ShimFileName).FirstOrDefault();
        if (shim is null)
        {
            evidence.Add($"No {NativeFiles.ShimFileName} (TorchSharp's native shim) in {appDirectory} or its runtimes/*/native folders.");
            return new(NativeLoadKind.Other, evidence, DiagnosisFixes.MissingShim);
        }

        var loaderMessage = NativeLoaderProbe.TryLoad(shim);
        if (loaderMessage is null)
        {
            evidence.Add($"{shim} loads.");
            return new(NativeLoadKind.Healthy, evidence, "");
        }
        evidence.Add($"The dynamic loader refuses {shim}: {loaderMessage}");
        return DiagnoseLibStdCxx(shim, evidence) ?? new(NativeLoadKind.Other, evidence, DiagnosisFixes.Other);
    }

    /// <summary>A LibStdCxxTooOld diagnosis when the shim strongly needs versions the system lacks, else null.</summary>
    private static NativeLoadDiagnosis? DiagnoseLibStdCxx(string shim, List<string> evidence)
    {
        SystemLibStdCxx? libStdCxx;
        ShimVersionNeeds needs;
        try
        {
            libStdCxx = SystemLibStdCxx.Find();
            if (libStdCxx is null) return null;
            needs = ShimVersionNeeds.Read(shim, libStdCxx);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // The loader's message, already in the evidence, is the better lead then.
            evidence.Add($"Could not read ELF version tables: {e.Message}");
            return null;
        }

        if (needs.Unsatisfied.Count == 0) return null;
        var missing = string.Join(", ", needs.Unsatisfied.Select(n => n.Version));
        evidence.Add($"{shim} requires {missing} from {SystemLibStdCxx.Soname} (strong need).");
        evidence.Add($"{libStdCxx.Path} defines GLIBCXX versions up to {libStdCxx.NewestGlibcxx ?? "none"}; it lacks {missing}.");
        return new(NativeLoadKind.LibStdCxxTooOld, evidence, DiagnosisFixes.LibStdCxxTooOld(missing));
    }
}
