using System.Text.Json;

namespace Matryoshka.Tests.Cli.BenchCompare;

/// <summary>One benchmark case of a synthetic report.</summary>
/// <param name="Method">Workload method name.</param>
/// <param name="PerOperationNanoseconds">
/// The workload "Result" iterations' time per operation; null for a case that failed (exported with
/// "Statistics": null).
/// </param>
/// <param name="Model">The [Params] value, part of FullName.</param>
internal sealed record BenchCase(string Method, double[]? PerOperationNanoseconds, string Model = "two_level");

/// <summary>
/// Writes reports in the shape of BenchmarkDotNet 0.15.8's full JSON exporter (JsonExporterBase.GetDataToSerialize:
/// Title, HostEnvironmentInfo, Benchmarks with FullName, Statistics as Statistics' public properties, Memory,
/// Measurements with IterationMode/IterationStage as text; NaN written as ""), including the pilot, warm-up,
/// overhead and actual iterations a reader must skip.
/// </summary>
internal static class BenchReportJson
{
    private const string Type = "SamplingBenchmarks", Namespace = "Matryoshka.Benchmarks";
    private const int OperationsPerIteration = 4;

    public static string FullName(BenchCase benchCase) => $"{Namespace}.{Type}.{benchCase.Method}(Model: {benchCase.Model})";

    /// <summary>Writes the report to <paramref name="path"/>, indented like JsonExporter.Full.</summary>
    public static string Write(string path, bool withMeasurements, params BenchCase[] cases) => Write(path, withMeasurements, compressed: false, cases);

    /// <summary>Writes the report to <paramref name="path"/>, on one line like JsonExporter.FullCompressed when <paramref name="compressed"/>.</summary>
    public static string Write(string path, bool withMeasurements, bool compressed, params BenchCase[] cases)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = !compressed });
        json.WriteStartObject();
        json.WriteString("Title", $"{Namespace}.{Type}-20261126-101500");
        WriteHost(json);
        json.WriteStartArray("Benchmarks");
        foreach (var benchCase in cases) WriteCase(json, benchCase, withMeasurements);
        json.WriteEndArray();
        json.WriteEndObject();
        return path;
    }

    private static void WriteHost(Utf8JsonWriter json)
    {
        json.WriteStartObject("HostEnvironmentInfo");
        json.WriteString("BenchmarkDotNetCaption", "BenchmarkDotNet");
        json.WriteString("BenchmarkDotNetVersion", "0.15.8");
        json.WriteString("OsVersion", "Debian GNU/Linux 12 (bookworm)");
        json.WriteString("ProcessorName", "AMD EPYC");
        json.WriteNumber("PhysicalProcessorCount", 1);
        json.WriteNumber("PhysicalCoreCount", 2);
        json.WriteNumber("LogicalCoreCount", 2);
        json.WriteString("RuntimeVersion", ".NET 10.0.12");
        json.WriteString("Architecture", "X64");
        json.WriteBoolean("HasAttachedDebugger", false);
        json.WriteBoolean("HasRyuJit", true);
        json.WriteString("Configuration", "RELEASE");
        json.WriteString("DotNetCliVersion", "10.0.100");
        json.WriteStartObject("ChronometerFrequency");
        json.WriteNumber("Hertz", 1000000000);
        json.WriteEndObject();
        json.WriteString("HardwareTimerKind", "Unknown");
        json.WriteEndObject();
    }

    private static void WriteCase(Utf8JsonWriter json, BenchCase benchCase, bool withMeasurements)
    {
        json.WriteStartObject();
        json.WriteString("DisplayInfo", $"{Type}.{benchCase.Method}: Job-QWERTY(Toolchain=InProcessEmitToolchain) [Model={benchCase.Model}]");
        json.WriteString("Namespace", Namespace);
        json.WriteString("Type", Type);
        json.WriteString("Method", benchCase.Method);
        json.WriteString("MethodTitle", benchCase.Method);
        json.WriteString("Parameters", $"Model={benchCase.Model}");
        json.WriteString("FullName", FullName(benchCase));
        json.WriteString("HardwareIntrinsics", "AVX2,AES,BMI1,BMI2,FMA,LZCNT,PCLMUL,POPCNT VectorSize=256");
        if (benchCase.PerOperationNanoseconds is { } samples) WriteStatistics(json, samples);
        else json.WriteNull("Statistics");
        json.WriteStartObject("Memory");
        json.WriteNumber("Gen0Collections", 0);
        json.WriteNumber("Gen1Collections", 0);
        json.WriteNumber("Gen2Collections", 0);
        json.WriteNumber("TotalOperations", 64);
        json.WriteNumber("BytesAllocatedPerOperation", 20904);
        json.WriteEndObject();
        if (withMeasurements) WriteMeasurements(json, benchCase.PerOperationNanoseconds ?? []);
        json.WriteEndObject();
    }

    private static void WriteStatistics(Utf8JsonWriter json, double[] samples)
    {
        var sorted = samples.Order().ToArray();
        int n = sorted.Length;
        double mean = sorted.Average();
        double variance = n > 1 ? sorted.Sum(v => (v - mean) * (v - mean)) / (n - 1) : double.NaN;
        double Quantile(double q) => sorted[(int)Math.Round(q * (n - 1))];
        json.WriteStartObject("Statistics");
        json.WriteStartArray("OriginalValues");
        foreach (var v in samples) json.WriteNumberValue(v);
        json.WriteEndArray();
        json.WriteNumber("N", n);
        Number(json, "Min", sorted[0]);
        Number(json, "LowerFence", Quantile(0.25) - 1.5 * (Quantile(0.75) - Quantile(0.25)));
        Number(json, "Q1", Quantile(0.25));
        Number(json, "Median", Quantile(0.5));
        Number(json, "Mean", mean);
        Number(json, "Q3", Quantile(0.75));
        Number(json, "UpperFence", Quantile(0.75) + 1.5 * (Quantile(0.75) - Quantile(0.25)));
        Number(json, "Max", sorted[^1]);
        Number(json, "InterquartileRange", Quantile(0.75) - Quantile(0.25));
        foreach (var outliers in new[] { "LowerOutliers", "UpperOutliers", "AllOutliers" })
        {
            json.WriteStartArray(outliers);
            json.WriteEndArray();
        }
        Number(json, "StandardError", Math.Sqrt(variance / n));
        Number(json, "Variance", variance);
        Number(json, "StandardDeviation", Math.Sqrt(variance));
        Number(json, "Skewness", double.NaN); // exported as "": a reader must accept it
        Number(json, "Kurtosis", double.NaN);
        json.WriteStartObject("ConfidenceInterval");
        json.WriteNumber("N", n);
        Number(json, "Mean", mean);
        Number(json, "StandardError", Math.Sqrt(variance / n));
        json.WriteNumber("Level", 12);
        Number(json, "Margin", 3 * Math.Sqrt(variance / n));
        Number(json, "Lower", mean - 3 * Math.Sqrt(variance / n));
        Number(json, "Upper", mean + 3 * Math.Sqrt(variance / n));
        json.WriteEndObject();
        json.WriteStartObject("Percentiles");
        foreach (var (name, q) in new[] { ("P0", 0.0), ("P25", 0.25), ("P50", 0.5), ("P67", 0.67), ("P80", 0.8), ("P85", 0.85), ("P90", 0.9), ("P95", 0.95), ("P100", 1.0) })
            Number(json, name, Quantile(q));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Every stage BenchmarkDotNet records; only Workload/Result carries the samples (Actual ones are deliberately off by 1 ms).</summary>
    private static void WriteMeasurements(Utf8JsonWriter json, double[] samples)
    {
        json.WriteStartArray("Measurements");
        void Measurement(string mode, string stage, int index, double perOperation)
        {
            json.WriteStartObject();
            json.WriteString("IterationMode", mode);
            json.WriteString("IterationStage", stage);
            json.WriteNumber("LaunchIndex", 1);
            json.WriteNumber("IterationIndex", index);
            json.WriteNumber("Operations", OperationsPerIteration);
            json.WriteNumber("Nanoseconds", perOperation * OperationsPerIteration);
            json.WriteEndObject();
        }
        Measurement("Overhead", "Jitting", 1, 200);
        Measurement("Workload", "Jitting", 1, 5e6);
        Measurement("Workload", "Pilot", 1, 5e6);
        Measurement("Workload", "Warmup", 1, 5e6);
        for (int i = 0; i < samples.Length; i++) Measurement("Overhead", "Actual", i + 1, 10);
        for (int i = 0; i < samples.Length; i++) Measurement("Workload", "Actual", i + 1, samples[i] + 1e6);
        for (int i = 0; i < samples.Length; i++) Measurement("Workload", "Result", i + 1, samples[i]);
        json.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteString(name, "");
    }
}
