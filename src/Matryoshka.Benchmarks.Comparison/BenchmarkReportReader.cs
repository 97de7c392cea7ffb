using System.Text.Json;

namespace Matryoshka.Benchmarks.Comparison;

/// <summary>
/// Reads one report written by BenchmarkDotNet's full JSON exporter (<c>JsonExporter.Full</c> or
/// <c>FullCompressed</c>): <c>{ "Title", "HostEnvironmentInfo", "Benchmarks": [ { "FullName", "Statistics": { "Mean",
/// "StandardDeviation", … }, "Measurements": [ { "IterationMode", "IterationStage", "Operations", "Nanoseconds" } ] } ] }</c>.
/// Anything else is refused with a <see cref="BenchmarkReportException"/> naming the file and the field.
/// </summary>
internal static class BenchmarkReportReader
{
    /// <summary>Larger files are refused unread: a full report of this project's benchmarks is well under 1 MB.</summary>
    public const long MaxFileBytes = 100L * 1024 * 1024;

    /// <summary>Every benchmark of the report by FullName, with a null result where the case has no statistics (it failed).</summary>
    public static IReadOnlyList<(string FullName, BenchmarkResult? Result)> Read(string file)
    {
        using var document = Parse(file);
        try
        {
            return ReadBenchmarks(document.RootElement);
        }
        catch (ShapeException e)
        {
            throw new BenchmarkReportException(file, e.Message);
        }
    }

    private static JsonDocument Parse(string file)
    {
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists) throw new BenchmarkReportException(file, "no such file");
            if (info.Length > MaxFileBytes)
                throw new BenchmarkReportException(file, $"{info.Length:N0} bytes, over the {MaxFileBytes / (1024 * 1024)} MB a report may have");
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new BenchmarkReportException(file, $"not valid JSON: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BenchmarkReportException(file, e.Message);
        }
    }

    private static List<(string, BenchmarkResult?)> ReadBenchmarks(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new ShapeException($"the top level is {Describe(root)}, not an object");
        if (!root.TryGetProperty("Benchmarks", out var benchmarks) || benchmarks.ValueKind != JsonValueKind.Array)
            throw new ShapeException("no \"Benchmarks\" array: not a BenchmarkDotNet JSON report");
        var read = new List<(string, BenchmarkResult?)>();
        foreach (var benchmark in benchmarks.EnumerateArray()) read.Add(ReadBenchmark(benchmark, $"Benchmarks[{read.Count}]"));
        return read;
    }

    private static (string, BenchmarkResult?) ReadBenchmark(JsonElement benchmark, string at)
    {
        ExpectObject(benchmark, at);
        if (!benchmark.TryGetProperty("FullName", out var nameElement) || nameElement.ValueKind != JsonValueKind.String
            || nameElement.GetString() is not { Length: > 0 } name)
            throw new ShapeException($"{at}.FullName is missing or not a non-empty string");
        // A case that failed is exported with "Statistics": null; NaN is exported as "" (JSON has no NaN).
        if (!benchmark.TryGetProperty("Statistics", out var statistics) || statistics.ValueKind == JsonValueKind.Null) return (name, null);
        ExpectObject(statistics, $"{at}.Statistics");
        double mean = Number(statistics, "Mean", $"{at}.Statistics") ?? throw new ShapeException($"{at}.Statistics.Mean is missing");
        if (!double.IsFinite(mean)) return (name, null);
        double standardDeviation = Number(statistics, "StandardDeviation", $"{at}.Statistics") ?? double.NaN;
        return (name, new BenchmarkResult(name, mean, standardDeviation, ResultSamples(benchmark, at)));
    }

    /// <summary>Time per operation of the workload "Result" iterations: the measurements the statistics were computed from.</summary>
    private static double[] ResultSamples(JsonElement benchmark, string at)
    {
        if (!benchmark.TryGetProperty("Measurements", out var measurements) || measurements.ValueKind == JsonValueKind.Null) return [];
        if (measurements.ValueKind != JsonValueKind.Array) throw new ShapeException($"{at}.Measurements is {Describe(measurements)}, not an array");
        var samples = new List<double>();
        int index = 0;
        foreach (var measurement in measurements.EnumerateArray())
        {
            string where = $"{at}.Measurements[{index++}]";
            ExpectObject(measurement, where);
            if (Text(measurement, "IterationMode", where) != "Workload" || Text(measurement, "IterationStage", where) != "Result") continue;
            double operations = Number(measurement, "Operations", where) ?? double.NaN;
            double nanoseconds = Number(measurement, "Nanoseconds", where) ?? double.NaN;
            if (!(operations >= 1) || !double.IsFinite(operations)) throw new ShapeException($"{where}.Operations is missing or not a positive count");
            if (!double.IsFinite(nanoseconds)) throw new ShapeException($"{where}.Nanoseconds is missing or not a finite number");
            samples.Add(nanoseconds / operations);
        }
        return samples.ToArray();
    }

    private static string Text(JsonElement parent, string name, string at) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new ShapeException($"{at}.{name} is missing or not a string");

    /// <summary>A number field; null when absent, NaN for BenchmarkDotNet's "" (NaN or infinity).</summary>
    private static double? Number(JsonElement parent, string name, string at)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        // A literal too large for a double (1e999) reads as infinity: refused, unlike BenchmarkDotNet's own "".
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && double.IsFinite(number)) return number;
        if (value.ValueKind == JsonValueKind.String && value.GetString() == "") return double.NaN;
        throw new ShapeException($"{at}.{name} is {Describe(value)}, not a finite number");
    }

    private static void ExpectObject(JsonElement element, string at)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new ShapeException($"{at} is {Describe(element)}, not an object");
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>The report is JSON but not the full exporter's shape; the file name is added by <see cref="Read"/>.</summary>
    private sealed class ShapeException(string message) : Exception(message);
}
