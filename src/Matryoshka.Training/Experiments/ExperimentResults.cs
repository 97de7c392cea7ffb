using System.Globalization;
using System.Text;

namespace Matryoshka.Training.Experiments;

/// <summary>
/// An experiment's results.csv: read back when the experiment resumes (rows already there are not redone), appended
/// and flushed to disk one row at a time. A row cut short by a crash is dropped when the file is next opened.
/// Several processes may share one file (one seed each, <c>experiment --seed</c>): every read and write holds the
/// file's lock, so no process sees another's row half written.
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
        return Locked(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, stream =>
        {
            if (stream.Length == 0)
            {
                Write(stream, Header + "\n");
                return new ExperimentResults(path, new());
            }
            var text = ReadAll(stream);
            var (rows, cut) = Parse(path, text);
            if (cut)
            {
                // Cut the partial row off in place: rewriting the whole file would risk every row if killed midway.
                stream.SetLength(Encoding.UTF8.GetByteCount(text.AsSpan(0, text.LastIndexOf('\n') + 1)));
                stream.Flush(flushToDisk: true);
            }
            return new ExperimentResults(path, rows);
        });
    }

    /// <summary>The rows of an existing file, without changing it (a row cut short by a crash is left out).</summary>
    /// <exception cref="ExperimentSpecException">The file is missing or not an experiment's results file.</exception>
    public static IReadOnlyList<ExperimentResult> Read(string path) =>
        File.Exists(path)
            ? Locked(path, FileMode.Open, FileAccess.Read, stream => Parse(path, ReadAll(stream)).Rows)
            : throw new ExperimentSpecException(path, "does not exist.");

    private static (List<ExperimentResult> Rows, bool Cut) Parse(string path, string text)
    {
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
        Locked(_path, FileMode.Append, FileAccess.Write, stream => { Write(stream, Format(row) + "\n"); return 0; });
        _rows.Add(row);
    }

    /// <summary>
    /// Runs <paramref name="use"/> on the file opened without sharing: .NET takes an exclusive lock on it (flock on
    /// Unix), so another process's read or write waits here for its turn (up to a minute) instead of interleaving.
    /// </summary>
    private static T Locked<T>(string path, FileMode mode, FileAccess access, Func<FileStream, T> use)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            FileStream stream;
            try { stream = new FileStream(path, mode, access, FileShare.None); }
            catch (IOException e) when (IsLockHeldElsewhere(e) && waited.Elapsed < LockWait) { Thread.Sleep(50); continue; }
            using (stream) return use(stream);
        }
    }

    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(1);

    // .NET reports a lock held elsewhere as a plain IOException whose HResult differs by platform (the errno on Unix);
    // its subclasses (file or folder not found, path too long) are not worth waiting for. Any other plain IOException
    // is retried for the same minute and then reported.
    private static bool IsLockHeldElsewhere(IOException e) => e.GetType() == typeof(IOException);

    private static string ReadAll(FileStream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        return reader.ReadToEnd();
    }

    private static void Write(FileStream stream, string text)
    {
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.Flush(flushToDisk: true);
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
