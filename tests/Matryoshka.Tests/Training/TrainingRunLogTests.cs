using Matryoshka.IO;
using Matryoshka.Training.Runs;
using Xunit;

namespace Matryoshka.Tests.Training;

/// <summary>The run log appends one line per event and never writes through a link or into a FIFO.</summary>
public class TrainingRunLogTests
{
    [Fact]
    public void Events_are_appended_one_line_each_with_control_characters_escaped()
    {
        using var folder = new TempFolder();
        var path = folder.File("train.log");
        using (var log = new TrainingRunLog(path)) log.Write("first");
        using (var log = new TrainingRunLog(path)) log.Write("skipped unreadable sample /data/evil\nname.png: forged line");
        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(" first", lines[0]);
        Assert.EndsWith(@" skipped unreadable sample /data/evil\u000aname.png: forged line", lines[1]);
        Assert.True(DateTime.TryParse(lines[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal, out var time) && (DateTime.UtcNow - time).Duration() < TimeSpan.FromMinutes(5), lines[1]);
    }

    [Fact]
    public void A_log_path_that_is_a_symbolic_link_is_refused()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("elsewhere.txt"), "not ours");
        File.CreateSymbolicLink(folder.File("train.log"), folder.File("elsewhere.txt"));
        var error = Assert.Throws<OutputPathException>(() => new TrainingRunLog(folder.File("train.log")));
        Assert.Equal("symbolic link", error.Kind);
        Assert.Equal("not ours", File.ReadAllText(folder.File("elsewhere.txt")));
    }
}
