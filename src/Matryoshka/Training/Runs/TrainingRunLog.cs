using System.Globalization;
using System.Text;
using Matryoshka.IO;

namespace Matryoshka.Training.Runs;

/// <summary>
/// The run's event log (<see cref="TrainingRunOptions.RunLogPath"/>): one line per event, prefixed with its UTC time,
/// appended and flushed as written so a killed run keeps every line before the kill. Resumed calls append to the same
/// file, so it tells the whole run's story, interruptions included.
/// </summary>
internal sealed class TrainingRunLog : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(false);
    private readonly StreamWriter _writer;

    /// <exception cref="OutputPathException">The path is a directory, device, FIFO, socket or symbolic link.</exception>
    public TrainingRunLog(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Appending to a FIFO would block the run; to a device or through a link, write outside the output folder.
        AtomicFile.EnsureReplaceable(full);
        _writer = new StreamWriter(full, append: true, Utf8) { AutoFlush = true };
    }

    /// <summary>Writes one line. Line breaks and other control characters in <paramref name="message"/> (a hostile file
    /// name, say) are escaped, so one event is always one line.</summary>
    public void Write(string message)
    {
        var line = new StringBuilder(DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append(' ');
        foreach (char c in message)
        {
            if (char.IsControl(c)) line.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else line.Append(c);
        }
        _writer.WriteLine(line.ToString());
    }

    public void Dispose() => _writer.Dispose();
}
