namespace Matryoshka.Cli.Diagnostics;

/// <summary>Writes the doctor's report as aligned "label  value" lines.</summary>
internal sealed class ReportWriter(TextWriter output, string appDirectory)
{
    private const int LabelWidth = 13;

    /// <summary>The application folder; paths inside it are shown relative to it.</summary>
    public string AppDirectory { get; } = appDirectory;

    /// <summary>Writes one fact; continuation lines of a multi-line value are indented under the value.</summary>
    public void Line(string label, string value)
    {
        var lines = value.Split('\n');
        output.WriteLine($"  {label.PadRight(LabelWidth)}{lines[0]}");
        foreach (var line in lines.Skip(1)) output.WriteLine($"  {new string(' ', LabelWidth)}{line}");
    }

    /// <summary><paramref name="path"/> relative to the application folder when it lies inside it.</summary>
    public string Display(string path)
    {
        var relative = Path.GetRelativePath(AppDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
