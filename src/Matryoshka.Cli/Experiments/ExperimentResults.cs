using System.Globalization;
using System.Text;

namespace Matryoshka.Cli.Experiments;

/// <summary>
/// An experiment's results.csv: read back when the experiment resumes (rows already there are not redone), appended
/// and flushed to disk one row at a time. A row cut short by a crash is dropped when the file is next opened.
/// </summary>
internal sealed class ExperimentResults
{
    internal const string Header = "arm,seed,step,stage,resolution,images_seen,train_flops,train_seconds,loss_final_level," +
        "top1,top5,pixel_top1,pixel_top5,fd_resnet18,fd_real_same_size,eval_seconds";
    private static readonly int Columns = Header.Split(',').Length;

    private readonly string _path;
    private readonly List<ExperimentResult> _rows;

    private ExperimentResults(string path, List<ExperimentResult> rows) => (_path, _rows) = (path, rows);

    /// <summary>The rows, in the order they were written.</summary>
    public IReadOnlyList<ExperimentResult> Rows => _rows;

    /// <summary>Whether a row for this arm, seed and step exists.</summary>
    public bool Has(string arm, ulong seed, long step) => _rows.Any(r => r.Arm == arm && r.Seed == seed && r.Step == step);

    /// <summary>Opens (or creates) the file, dropping a row cut short by a crash.</summary>
    /// <exception cref="ExperimentSpecException">The file exists but is not an experiment's results file.</exception>
    public static ExperimentResults Open(string path)
    {
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Header + "\n");
            return new ExperimentResults(path, new());
        }
        var (rows, cut) = Parse(path);
        if (cut) File.WriteAllText(path, Header + "\n" + string.Concat(rows.Select(r => Format(r) + "\n")));
        return new ExperimentResults(path, rows);
    }

    /// <summary>The rows of an existing file, without changing it (a row being written is left out).</summary>
    /// <exception cref="ExperimentSpecException">The file is missing or not an experiment's results file.</exception>
    public static IReadOnlyList<ExperimentResult> Read(string path) =>
        File.Exists(path) ? Parse(path).Rows : throw new ExperimentSpecException(path, "does not exist.");

    private static (List<ExperimentResult> Rows, bool Cut) Parse(string path)
    {
        var text = File.ReadAllText(path);
        var lines = text.Split('\n');
        if (lines[0] != Header) throw new ExperimentSpecException(path, "is not an experiment results file (its header differs); move it away or pick another --out.");
        var rows = new List<ExperimentResult>();
        // Rows are appended whole and flushed, so only a last line without its newline can be cut short.
        bool complete = text.EndsWith('\n');
        int last = complete ? lines.Length - 2 : lines.Length - 1;
        for (int i = 1; i <= last; i++)
        {
            if (ParseRow(lines[i]) is { } row) rows.Add(row);
            else if (i < last || complete) throw new ExperimentSpecException(path, $"line {i + 1} is not a results row: '{lines[i]}'.");
        }
        return (rows, !complete);
    }

    /// <summary>Appends a row and flushes it to disk.</summary>
    public void Append(ExperimentResult row)
    {
        using (var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            var bytes = Encoding.UTF8.GetBytes(Format(row) + "\n");
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        _rows.Add(row);
    }

    internal static string Format(ExperimentResult r) => string.Join(',',
        r.Arm, Number(r.Seed), Number(r.Step), Number(r.Stage), Number(r.Resolution), Number(r.ImagesSeen), Number(r.TrainFlops), Number(r.TrainSeconds),
        Optional(r.FinalLevelLoss), Optional(r.Top1), Optional(r.Top5), Optional(r.PixelTop1), Optional(r.PixelTop5), Optional(r.FdResNet18),
        Optional(r.FdRealSameSize), Optional(r.EvalSeconds));

    private static string Number(IFormattable value) => value.ToString(value is double ? "R" : null, CultureInfo.InvariantCulture);

    private static string Optional(double? value) => value is { } v ? Number(v) : "";

    private static ExperimentResult? ParseRow(string line)
    {
        var f = line.Split(',');
        if (f.Length != Columns) return null;
        try
        {
            return new ExperimentResult(f[0], ulong.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[2], CultureInfo.InvariantCulture),
                int.Parse(f[3], CultureInfo.InvariantCulture), int.Parse(f[4], CultureInfo.InvariantCulture), long.Parse(f[5], CultureInfo.InvariantCulture),
                double.Parse(f[6], CultureInfo.InvariantCulture), double.Parse(f[7], CultureInfo.InvariantCulture),
                OptionalNumber(f[8]), OptionalNumber(f[9]), OptionalNumber(f[10]), OptionalNumber(f[11]), OptionalNumber(f[12]), OptionalNumber(f[13]), OptionalNumber(f[14]), OptionalNumber(f[15]));
        }
        catch (FormatException) { return null; }
        catch (OverflowException) { return null; }
    }

    private static double? OptionalNumber(string text) => text.Length == 0 ? null : double.Parse(text, CultureInfo.InvariantCulture);
}
