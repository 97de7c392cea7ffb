using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Matryoshka.Benchmarks;

/// <summary>A derived column computed from a case's <see cref="BenchmarkWork"/> and its mean time (ns).</summary>
public sealed class ThroughputColumn : IColumn
{
    private readonly Func<BenchmarkWork, double, double?> _value;
    private readonly Func<string> _legend;
    private readonly string _format;

    private ThroughputColumn(string name, string legend, string format, Func<BenchmarkWork, double, double?> value)
        : this(name, () => legend, format, value)
    {
    }

    private ThroughputColumn(string name, Func<string> legend, string format, Func<BenchmarkWork, double, double?> value)
    {
        ColumnName = name;
        _legend = legend;
        _format = format;
        _value = value;
    }

    /// <summary>Images through one step per second (training: images trained on; sampling: batch × steps).</summary>
    public static IColumn ImagesPerSecond { get; } = new ThroughputColumn("images/s",
        "Images through one step per second: batch × steps per invocation over the mean time", "F2",
        (work, ns) => work.ImageSteps > 0 ? work.ImageSteps / ns * 1e9 : null);

    /// <summary>Training or joint sampling steps per second.</summary>
    public static IColumn StepsPerSecond { get; } = new ThroughputColumn("steps/s",
        "Training steps or joint sampling steps (every level once) per second", "F2",
        (work, ns) => work.Steps > 0 ? work.Steps / ns * 1e9 : null);

    /// <summary>Achieved GFLOP/s.</summary>
    public static IColumn Gflops { get; } = new ThroughputColumn("GFLOP/s",
        "Achieved GFLOP/s: counted FLOPs of one invocation (convolutions, matmuls, attention; training ×3 for the backward) over the mean time", "F1",
        (work, ns) => work.Flops / ns);

    /// <summary>Achieved rate over the machine's matmul rate in the same dtype, measured in this process.</summary>
    public static IColumn OfPeak { get; } = new ThroughputColumn("of peak",
        () => FormattableString.Invariant(
            $"GFLOP/s over this machine's 2048² matmul rate in the same dtype, measured in this process: {MachinePeak.Gflops("float32"):F0} GFLOP/s float32, {MachinePeak.Gflops("bfloat16"):F0} bfloat16"),
        "P0", (work, ns) => work.Flops / ns / MachinePeak.Gflops(work.DType));

    public string Id => nameof(ThroughputColumn) + "." + ColumnName;
    public string ColumnName { get; }
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => _legend();

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var work = BenchmarkWork.Of(benchmarkCase);
        if (mean is not > 0 || work is null) return "-";
        return _value(work, mean.Value) is { } value ? value.ToString(_format, CultureInfo.InvariantCulture) : "-";
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
