using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Matryoshka.Models;

namespace Matryoshka.Benchmarks;

/// <summary>
/// Achieved GFLOP/s: the work of one invocation (from <see cref="ModelFlops"/> for model benchmarks, 2n³ for
/// matmuls) over its mean time. Empty for benchmarks whose work is not counted.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Achieved GFLOP/s: counted FLOPs of one invocation (convolutions, matmuls, attention) over the mean time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var flops = Flops(benchmarkCase);
        if (mean is not > 0 || flops is null) return "-";
        return (flops.Value / mean.Value).ToString("F1", CultureInfo.InvariantCulture); // FLOP per ns = GFLOP/s
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    private static double? Flops(BenchmarkCase benchmarkCase)
    {
        object? Parameter(string name) => benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value;
        return benchmarkCase.Descriptor.Type.Name switch
        {
            nameof(MatmulPeakBenchmarks) => MatmulPeakBenchmarks.Flops((int)Parameter(nameof(MatmulPeakBenchmarks.Size))!),
            nameof(ModelForwardBenchmarks) => ModelForwardBenchmarks.Flops((string)Parameter(nameof(ModelForwardBenchmarks.Model))!),
            _ => null,
        };
    }
}
