namespace Matryoshka.Data.Emoji.Svg;

/// <summary>One SVG could not be rendered: malformed XML, an external reference, or a renderer failure. The emoji is skipped, not the run.</summary>
public sealed class SvgIconException : MatryoshkaException
{
    /// <summary>Creates the exception for the SVG named by <paramref name="source"/>.</summary>
    public SvgIconException(string source, string problem) : base($"SVG {source}: {problem}") => SvgName = source;

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    public SvgIconException(string source, string problem, Exception innerException)
        : base($"SVG {source}: {problem}", innerException) => SvgName = source;

    /// <summary>The SVG's name: an emoji file stem and icon name, or a file path.</summary>
    public string SvgName { get; }
}
