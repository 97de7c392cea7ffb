using Matryoshka.Benchmarks.Comparison;
using Matryoshka.Cli.Commands;
using Xunit;
using static Matryoshka.Tests.Cli.BenchCompare.BenchCompareRun;
using static Matryoshka.Tests.Cli.BenchCompare.BenchSamples;

namespace Matryoshka.Tests.Cli.BenchCompare;

public class BenchCompareInputTests
{
    [Fact]
    public void Benchmarks_on_one_side_only_or_without_a_result_are_listed()
    {
        using var temp = new TempFolder();
        var onlyBase = new BenchCase("Removed", Tight(1e6));
        var onlyDiff = new BenchCase("Added", Tight(1e6));
        var failed = new BenchCase("Step", Tight(1e6), "released");
        var baseFile = BenchReportJson.Write(temp.File("base.json"), true, Step, onlyBase, failed);
        var diffFile = BenchReportJson.Write(temp.File("diff.json"), true, Step, onlyDiff, failed with { PerOperationNanoseconds = null });

        var (code, stdout, _) = Run(baseFile, diffFile);

        Assert.Equal(0, code);
        Assert.Equal("same", Row(stdout, Step)[4]);
        Assert.Contains($"- {BenchReportJson.FullName(onlyBase)}: only in base", stdout);
        Assert.Contains($"- {BenchReportJson.FullName(onlyDiff)}: only in diff", stdout);
        Assert.Contains($"- {BenchReportJson.FullName(failed)}: no result in diff", stdout);
        Assert.DoesNotContain($"| {BenchReportJson.FullName(failed)} |", stdout);
    }

    [Fact]
    public void A_folder_is_searched_for_full_reports_and_a_compressed_twin_is_not_read_twice()
    {
        using var temp = new TempFolder();
        var baseFile = BenchReportJson.Write(temp.File("base.json"), true, Step);
        var results = Path.Combine(temp.Path, "BenchmarkDotNet.Artifacts", "results");
        BenchReportJson.Write(Path.Combine(results, "Matryoshka.Benchmarks.SamplingBenchmarks-report-full.json"), true, Step);
        BenchReportJson.Write(Path.Combine(results, "Matryoshka.Benchmarks.SamplingBenchmarks-report-full-compressed.json"), true, compressed: true, Step);
        File.WriteAllText(Path.Combine(results, "Matryoshka.Benchmarks.SamplingBenchmarks-report-brief.json"), "not read");
        var other = new BenchCase("Loss", Tight(1e6));
        BenchReportJson.Write(Path.Combine(results, "nested", "Other-report-full-compressed.json"), true, compressed: true, other);

        var (code, stdout, stderr) = Run(baseFile, Path.Combine(temp.Path, "BenchmarkDotNet.Artifacts"));

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Equal("same", Row(stdout, Step)[4]);
        Assert.Contains($"- {BenchReportJson.FullName(other)}: only in diff", stdout);
    }

    [Fact]
    public void The_same_benchmark_twice_on_one_side_is_refused()
    {
        using var temp = new TempFolder();
        var baseFile = BenchReportJson.Write(temp.File("base.json"), true, Step, Step);

        Assert.StartsWith($"refused: {baseFile}: {BenchReportJson.FullName(Step)} appears twice", Refused(baseFile, baseFile));
    }

    [Theory]
    [InlineData("{\"Benchmarks\": [", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[1, 2]", "the top level is an array, not an object")]
    [InlineData("{\"Title\": \"x\"}", "no \"Benchmarks\" array")]
    [InlineData("{\"Benchmarks\": [{\"Statistics\": {\"Mean\": 1}}]}", "Benchmarks[0].FullName is missing")]
    [InlineData("{\"Benchmarks\": [{\"FullName\": \"A.B\", \"Statistics\": {}}]}", "Benchmarks[0].Statistics.Mean is missing")]
    [InlineData("{\"Benchmarks\": [{\"FullName\": \"A.B\", \"Statistics\": {\"Mean\": \"fast\"}}]}", "Benchmarks[0].Statistics.Mean is a string, not a finite number")]
    [InlineData("{\"Benchmarks\": [{\"FullName\": \"A.B\", \"Statistics\": {\"Mean\": 1e999}}]}", "Benchmarks[0].Statistics.Mean is a number, not a finite number")]
    [InlineData("{\"Benchmarks\": [{\"FullName\": \"A.B\", \"Statistics\": {\"Mean\": 1}, \"Measurements\": {}}]}", "Benchmarks[0].Measurements is an object, not an array")]
    [InlineData("{\"Benchmarks\": [{\"FullName\": \"A.B\", \"Statistics\": {\"Mean\": 1}, \"Measurements\": [{\"IterationMode\": \"Workload\", \"IterationStage\": \"Result\", \"Operations\": 0, \"Nanoseconds\": 5}]}]}", "Benchmarks[0].Measurements[0].Operations is missing or not a positive count")]
    [InlineData("{\"Benchmarks\": [{\"FullName\": \"A.B\", \"Statistics\": {\"Mean\": 1}, \"Measurements\": [{\"IterationStage\": \"Result\"}]}]}", "Benchmarks[0].Measurements[0].IterationMode is missing or not a string")]
    public void Malformed_reports_are_refused_naming_the_file_and_the_problem(string json, string problem)
    {
        using var temp = new TempFolder();
        var good = BenchReportJson.Write(temp.File("good.json"), true, Step);
        var bad = temp.File("bad.json");
        File.WriteAllText(bad, json);

        var stderr = Refused(good, bad);

        Assert.StartsWith($"refused: {bad}: ", stderr);
        Assert.Contains(problem, stderr);
    }

    [Fact]
    public void Deeply_nested_json_is_refused_not_a_crash()
    {
        using var temp = new TempFolder();
        var bad = temp.File("deep.json");
        File.WriteAllText(bad, "{\"Benchmarks\": " + new string('[', 10_000) + new string(']', 10_000) + "}");

        Assert.StartsWith($"refused: {bad}: not valid JSON", Refused(bad, bad));
    }

    [Fact]
    public void A_file_over_the_size_cap_is_refused_unread()
    {
        using var temp = new TempFolder();
        var huge = temp.File("huge-report-full.json");
        using (var stream = File.Create(huge)) stream.SetLength(BenchmarkReportReader.MaxFileBytes + 1); // sparse: nothing written

        Assert.StartsWith($"refused: {huge}: 104,857,601 bytes, over the 100 MB a report may have", Refused(huge, huge));
    }

    [Fact]
    public void Missing_files_and_folders_without_reports_are_refused()
    {
        using var temp = new TempFolder();
        var good = BenchReportJson.Write(temp.File("good.json"), true, Step);
        var empty = Directory.CreateDirectory(temp.File("empty")).FullName;

        Assert.Equal($"refused: {temp.File("missing.json")}: no such file or folder", Refused(temp.File("missing.json"), good).Trim());
        Assert.StartsWith($"refused: {empty}: holds no *-report-full.json or *-report-full-compressed.json", Refused(good, empty));
    }

    [Theory]
    [InlineData("10", "0.05ms", "--threshold '10'")]
    [InlineData("100%", "0.05ms", "--threshold '100%'")]
    [InlineData("-5%", "0.05ms", "--threshold '-5%'")]
    [InlineData("10%", "0.05", "--noise '0.05'")]
    [InlineData("10%", "-1ms", "--noise '-1ms'")]
    [InlineData("10%", "5 minutes", "--noise '5 minutes'")]
    public void Bad_thresholds_are_refused(string threshold, string noise, string named)
    {
        using var temp = new TempFolder();
        var good = BenchReportJson.Write(temp.File("good.json"), true, Step);

        Assert.StartsWith($"refused: {named} is not", Refused(good, good, threshold, noise));
    }

    [Fact]
    public void Command_line_parsing_reaches_the_command()
    {
        using var temp = new TempFolder();
        var (baseFile, diffFile) = WritePair(temp, Step, Tight(1.08e6));
        var output = new StringWriter();

        int code = BenchCompareCommand.Create().Parse([baseFile, diffFile, "--threshold", "5%", "--noise", "1us"])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Equal(1, code);
        Assert.Contains("(threshold 5 %, noise floor 1.00 μs,", output.ToString());
    }
}
