namespace Matryoshka.Training.Data;

/// <summary>How <see cref="FashionMnistDataset"/> turns its 28×28 gray images into training samples.</summary>
public sealed record FashionMnistOptions
{
    /// <summary>
    /// Output side in pixels. From 28 up, the image is enlarged by the largest whole factor k with 28·k ≤ Resolution
    /// (nearest neighbour: each pixel becomes a k×k block) and centred on a background (byte 0) canvas; for the
    /// default 32 that is a 2-pixel border. Below 28 the resolution must divide 32: the 32×32 sample is box-averaged
    /// down (2×2 blocks for 16), which is exactly the lower level of an MDM pyramid over the 32×32 images — what the
    /// first stage of progressive training needs.
    /// </summary>
    public int Resolution { get; init; } = 32;

    /// <summary>1 (gray) or 3 (the gray plane replicated to RGB).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>How bytes become model values.</summary>
    public PixelNormalization Normalization { get; init; } = PixelNormalization.MlMdm;

    /// <summary>Largest accepted resolution.</summary>
    public const int MaxResolution = 4096;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (Resolution < 1 || Resolution > MaxResolution || (Resolution < FashionMnistDataset.ImageSide && FashionMnistDataset.PaddedSide % Resolution != 0))
            throw new ArgumentOutOfRangeException(nameof(Resolution), Resolution,
                $"The Fashion-MNIST resolution must be {FashionMnistDataset.ImageSide} … {MaxResolution}, or a divisor of {FashionMnistDataset.PaddedSide} (16, 8, …: the 32×32 sample box-averaged).");
        if (Channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "Channels must be 1 (gray) or 3 (RGB).");
        if (!Enum.IsDefined(Normalization))
            throw new ArgumentOutOfRangeException(nameof(Normalization), Normalization, "Unknown pixel normalization.");
    }
}
