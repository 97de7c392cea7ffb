namespace Matryoshka.Benchmarks.Comparison;

/// <summary>A benchmark report that cannot be used: missing, too large, not JSON, or not BenchmarkDotNet's full JSON shape.</summary>
/// <remarks>
/// It derives from <see cref="Exception"/>, not from the Matryoshka library's <c>MatryoshkaException</c>: this package
/// stays free of the library (and of TorchSharp) so that a CI job can compare benchmark runs with nothing else installed.
/// </remarks>
/// <param name="file">The file (or folder) that was refused.</param>
/// <param name="problem">What is wrong with it, without the file name.</param>
public sealed class BenchmarkReportException(string file, string problem) : Exception($"{file}: {problem}")
{
    /// <summary>The file (or folder) that was refused.</summary>
    public string File { get; } = file;

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; } = problem;
}
