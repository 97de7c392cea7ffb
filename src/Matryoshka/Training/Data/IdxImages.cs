namespace Matryoshka.Training.Data;

/// <summary>The contents of an IDX image file: <see cref="Count"/> row-major 8-bit images of one size.</summary>
public sealed class IdxImages
{
    private readonly byte[] _pixels;

    internal IdxImages(int count, int rows, int columns, byte[] pixels)
    {
        Count = count;
        Rows = rows;
        Columns = columns;
        _pixels = pixels;
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Image height in pixels.</summary>
    public int Rows { get; }

    /// <summary>Image width in pixels.</summary>
    public int Columns { get; }

    /// <summary>The bytes of image <paramref name="index"/>, <see cref="Rows"/> · <see cref="Columns"/> values row by row.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0 … Count − 1.</exception>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        int size = Rows * Columns;
        return _pixels.AsSpan(index * size, size);
    }
}
