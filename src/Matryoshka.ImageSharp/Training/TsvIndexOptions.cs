namespace Matryoshka.ImageSharp.Training;

/// <summary>Which columns of a TSV index <see cref="TsvIndexDataset"/> reads, and where its paths may lead.</summary>
public sealed record TsvIndexOptions
{
    /// <summary>The header name of the image path column (ml-mdm's shard TSVs call it <c>file</c>).</summary>
    public string ImageColumn { get; init; } = "file";

    /// <summary>The header name of the caption column (ml-mdm: <c>caption</c>), or null for an index without captions.</summary>
    public string? CaptionColumn { get; init; } = "caption";

    /// <summary>
    /// Whether image paths may lead outside the TSV's folder (absolute paths or <c>..</c>). False by default, so an
    /// index cannot make training read arbitrary files.
    /// </summary>
    public bool AllowPathsOutsideFolder { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A column name is empty or the two columns are the same.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ImageColumn))
            throw new ArgumentException("The image column name must not be empty.", nameof(ImageColumn));
        if (CaptionColumn is not null && string.IsNullOrWhiteSpace(CaptionColumn))
            throw new ArgumentException("The caption column name must not be empty (use null for no captions).", nameof(CaptionColumn));
        if (string.Equals(ImageColumn, CaptionColumn, StringComparison.Ordinal))
            throw new ArgumentException($"The image and caption columns are both '{ImageColumn}'.", nameof(CaptionColumn));
    }
}
