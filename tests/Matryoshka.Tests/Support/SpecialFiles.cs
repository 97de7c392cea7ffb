using System.Diagnostics;

namespace Matryoshka.Tests;

/// <summary>Non-regular file-system entries for tests of what writers refuse to replace (no root needed).</summary>
internal static class SpecialFiles
{
    /// <summary>Creates a FIFO at <paramref name="path"/> with coreutils' <c>mkfifo</c>.</summary>
    public static string Fifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"mkfifo {path} failed");
        return path;
    }
}
