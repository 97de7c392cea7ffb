namespace Matryoshka.Cli.Benchmarks;

/// <summary>A benchmark report that cannot be used: missing, too large, not JSON, or not BenchmarkDotNet's full JSON shape.</summary>
internal sealed class BenchmarkReportException(string file, string problem) : Exception($"{file}: {problem}")
{
    /// <summary>The file (or folder) that was refused.</summary>
    public string File { get; } = file;

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; } = problem;
}
