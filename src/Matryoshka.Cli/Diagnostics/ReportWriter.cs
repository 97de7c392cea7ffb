using Matryoshka.Diagnostics;

namespace Matryoshka.Cli.Diagnostics;

/// <summary>Writes the doctor's facts as aligned "label  value" lines.</summary>
internal static class ReportWriter
{
    private const int LabelWidth = 13;

    /// <summary>Writes one fact; continuation lines of a multi-line value are indented under the value.</summary>
    public static void Write(TextWriter output, InstallationFact fact)
    {
        var lines = fact.Value.Split('\n');
        output.WriteLine($"  {fact.Label.PadRight(LabelWidth)}{lines[0]}");
        foreach (var line in lines.Skip(1)) output.WriteLine($"  {new string(' ', LabelWidth)}{line}");
    }
}
