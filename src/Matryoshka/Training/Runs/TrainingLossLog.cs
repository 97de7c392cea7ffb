using System.Globalization;
using System.Text;
using Matryoshka.IO;

namespace Matryoshka.Training.Runs;

/// <summary>
/// The CSV of a training run: one row per step with the loss of every level (high → low, as many columns as the
/// final stage has levels; empty where a stage has fewer), learning rate, gradient norm and whether it was skipped.
/// On resume, rows after the checkpoint's step are dropped so the file matches the weights. Rows are flushed as they
/// are written.
/// </summary>
internal sealed class TrainingLossLog : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(false);
    private readonly StreamWriter _writer;
    private readonly int _levels;

    public TrainingLossLog(string path, int levels, long? resumeAfterStep)
    {
        _levels = levels;
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var kept = new List<string>();
        if (resumeAfterStep is { } last && File.Exists(full))
        {
            kept.AddRange(File.ReadLines(full).Skip(1).TakeWhile(line =>
                long.TryParse(line.AsSpan(0, Math.Max(0, line.IndexOf(','))), NumberStyles.None, CultureInfo.InvariantCulture, out long s) && s <= last));
        }
        // Replaced atomically: a process killed while the kept rows are rewritten must not lose them.
        AtomicFile.Write(full, stream =>
        {
            using var rewrite = new StreamWriter(stream, Utf8, leaveOpen: true);
            rewrite.WriteLine(Header());
            foreach (var line in kept) rewrite.WriteLine(line);
        });
        // Every row reaches the file when it is written, so a killed run loses at most the step it was on.
        _writer = new StreamWriter(full, append: true, Utf8) { AutoFlush = true };
    }

    public void Append(long step, int stage, long stageStep, TrainingStepResult result)
    {
        var row = new StringBuilder();
        row.Append(step).Append(',').Append(stage).Append(',').Append(stageStep).Append(',').Append(Format(result.Loss));
        for (int l = 0; l < _levels; l++)
        {
            row.Append(',');
            // The stage's levels are the innermost ones: align them to the right so a column is always one resolution.
            int offset = _levels - result.LevelLosses.Count;
            if (l >= offset) row.Append(Format(result.LevelLosses[l - offset]));
        }
        row.Append(',').Append(Format(result.LearningRate)).Append(',')
            .Append(result.GradientNorm is { } norm ? Format(norm) : "").Append(',').Append(result.Skipped ? 1 : 0);
        _writer.WriteLine(row.ToString());
    }

    public void Dispose() => _writer.Dispose();

    private string Header() =>
        "step,stage,stage_step,loss," + string.Join(",", Enumerable.Range(0, _levels).Select(l => $"loss_level{l}")) + ",learning_rate,grad_norm,skipped";

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
