using Matryoshka.Tests.Support;
using Matryoshka.Training;
using Matryoshka.Training.Runs;
using Xunit;

namespace Matryoshka.Tests.Training;

public class TrainingLossLogTests
{
    private static TrainingStepResult Result(double loss) => new(loss, new[] { loss / 4, loss / 2 }, 1e-3, false, true, 0.5);

    // What another process (or the next run, after this one was killed) finds on disk while the log is still open.
    private static string[] RowsOnDisk(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
    }

    private static long StepOf(string row) => long.Parse(row[..row.IndexOf(',')]);

    [Fact]
    public void Every_row_is_on_disk_as_soon_as_it_is_appended()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "loss.csv");
        using var log = new TrainingLossLog(path, levels: 2, resumeAfterStep: null);
        for (int step = 1; step <= 3; step++) log.Append(step, 0, step, Result(0.1 * step));

        // Not disposed, not flushed: a killed process leaves exactly this.
        var rows = RowsOnDisk(path);
        Assert.Equal(new long[] { 1, 2, 3 }, rows.Select(StepOf));
        Assert.StartsWith("3,0,3,0.30000000000000004,0.07500000000000001,0.15000000000000002,", rows[^1]);
    }

    [Fact]
    public void A_resume_keeps_the_rows_up_to_the_checkpoint_and_they_are_on_disk_before_the_first_new_step()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "loss.csv");
        using (var first = new TrainingLossLog(path, levels: 2, resumeAfterStep: null))
            for (int step = 1; step <= 5; step++) first.Append(step, 0, step, Result(step));
        var before = RowsOnDisk(path);

        // The checkpoint is at step 3: rows 4 and 5 belong to steps that are trained again.
        using var resumed = new TrainingLossLog(path, levels: 2, resumeAfterStep: 3);
        Assert.Equal(before.Take(3), RowsOnDisk(path));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp")); // the rewrite's temporary file was renamed
        resumed.Append(4, 0, 4, Result(40));
        var rows = RowsOnDisk(path);
        Assert.Equal(new long[] { 1, 2, 3, 4 }, rows.Select(StepOf));
        Assert.StartsWith("4,0,4,40,", rows[^1]);
    }
}
