namespace Matryoshka.Training.Data;

/// <summary>The files of a well-known dataset are not where they were looked for; the message says how to get them.</summary>
public sealed class DatasetNotFoundException : MatryoshkaException
{
    /// <summary>Creates the exception listing the paths that were tried.</summary>
    public DatasetNotFoundException(string message, IReadOnlyList<string> searchedPaths) : base(message)
    {
        SearchedPaths = searchedPaths;
    }

    /// <summary>Every path that was looked for.</summary>
    public IReadOnlyList<string> SearchedPaths { get; }
}
