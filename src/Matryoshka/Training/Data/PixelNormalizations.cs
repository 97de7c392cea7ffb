namespace Matryoshka.Training.Data;

/// <summary>Byte → model value conversions for each <see cref="PixelNormalization"/>, computed in float32.</summary>
public static class PixelNormalizations
{
    private static readonly float[] MlMdmTable = BuildTable(PixelNormalization.MlMdm);
    private static readonly float[] StandardTable = BuildTable(PixelNormalization.Standard);

    /// <summary>The model value of <paramref name="value"/> under <paramref name="normalization"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="normalization"/> is not a defined value.</exception>
    public static float Normalize(this PixelNormalization normalization, byte value) => TableOf(normalization)[value];

    /// <summary>Writes the model value of every byte of <paramref name="source"/> into <paramref name="destination"/> (same length).</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="normalization"/> is not a defined value.</exception>
    public static void Normalize(this PixelNormalization normalization, ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
            throw new ArgumentException($"The destination holds {destination.Length} values but the source {source.Length} bytes.", nameof(destination));
        var table = TableOf(normalization);
        for (int i = 0; i < source.Length; i++)
            destination[i] = table[source[i]];
    }

    /// <summary>The 256 model values of bytes 0…255 under <paramref name="normalization"/> (a copy).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="normalization"/> is not a defined value.</exception>
    public static float[] Table(PixelNormalization normalization) => (float[])TableOf(normalization).Clone();

    private static float[] TableOf(PixelNormalization normalization) => normalization switch
    {
        PixelNormalization.MlMdm => MlMdmTable,
        PixelNormalization.Standard => StandardTable,
        _ => throw new ArgumentOutOfRangeException(nameof(normalization), normalization, "Unknown pixel normalization."),
    };

    private static float[] BuildTable(PixelNormalization normalization)
    {
        var table = new float[256];
        for (int b = 0; b < table.Length; b++)
            table[b] = normalization == PixelNormalization.MlMdm ? (b - 127f) / 128f : b / 127.5f - 1f;
        return table;
    }
}
