namespace Matryoshka.Benchmarks.Comparison;

/// <summary>
/// One side of a comparison: a full JSON report file, or a folder searched (with its subfolders) for
/// <c>*-report-full.json</c> and <c>*-report-full-compressed.json</c>, as BenchmarkDotNet names them in
/// BenchmarkDotNet.Artifacts/results.
/// </summary>
internal static class BenchmarkReportLoader
{
    private const string Indented = "-report-full.json", Compressed = "-report-full-compressed.json";

    /// <summary>Reads every report of <paramref name="path"/>; a FullName may appear once per side.</summary>
    public static BenchmarkReport Load(string path)
    {
        var results = new List<BenchmarkResult>();
        var withoutResult = new List<string>();
        var foundIn = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in ReportFiles(path))
        {
            foreach (var (name, result) in BenchmarkReportReader.Read(file))
            {
                // FullName does not name the job: two jobs (or two runs) of one case on one side cannot be matched.
                if (!foundIn.TryAdd(name, file))
                    throw new BenchmarkReportException(file, foundIn[name] == file
                        ? $"{name} appears twice (several jobs?); compare reports with one job"
                        : $"{name} is also in {foundIn[name]}; give one run per side");
                if (result is null) withoutResult.Add(name);
                else results.Add(result);
            }
        }
        return new BenchmarkReport(results, withoutResult);
    }

    private static IReadOnlyList<string> ReportFiles(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new BenchmarkReportException(path, "no such file or folder");
        string[] found;
        try
        {
            found = Directory.EnumerateFiles(path, "*-report-full*.json", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .Where(file => file.EndsWith(Indented, StringComparison.Ordinal) || file.EndsWith(Compressed, StringComparison.Ordinal))
                .ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BenchmarkReportException(path, e.Message);
        }
        var indented = found.Where(file => file.EndsWith(Indented, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        // A run exported by both full exporters is one run: keep the indented file, skip its compressed twin.
        var files = found.Where(file => !file.EndsWith(Compressed, StringComparison.Ordinal) || !indented.Contains(file[..^Compressed.Length] + Indented))
            .Order(StringComparer.Ordinal).ToArray();
        return files.Length > 0
            ? files
            : throw new BenchmarkReportException(path, $"holds no *{Indented} or *{Compressed} (BenchmarkDotNet's full JSON exporter writes them)");
    }
}
