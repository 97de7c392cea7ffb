namespace Matryoshka.Data.Emoji.Svg;

/// <summary>An icon named by <c>chars.json</c> (or an alias) could not be found or used; the emoji is skipped, not the run.</summary>
internal sealed class IconLookupException : MatryoshkaException
{
    /// <summary>Creates the exception for icon <paramref name="iconName"/>.</summary>
    public IconLookupException(string iconName, IconLookupFailure failure, string problem)
        : base($"icon '{iconName}' {problem}")
    {
        IconName = iconName;
        Failure = failure;
    }

    /// <summary>The icon name that was looked up.</summary>
    public string IconName { get; }

    /// <summary>Missing or unusable.</summary>
    public IconLookupFailure Failure { get; }
}
