namespace Matryoshka.Evaluation;

/// <summary>Checks on feature sets before they are compared.</summary>
internal static class FeatureSets
{
    /// <summary>The common width of <paramref name="rows"/>, after checking there are at least <paramref name="minimum"/> rows, all finite.</summary>
    public static int Width(IReadOnlyList<float[]> rows, string name, int minimum)
    {
        ArgumentNullException.ThrowIfNull(rows, name);
        if (rows.Count < minimum) throw new FeatureSetException($"{name} has {rows.Count} rows; at least {minimum} are needed.");
        int width = rows[0]?.Length ?? 0;
        if (width == 0) throw new FeatureSetException($"{name} has empty rows.");
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i] is null || rows[i].Length != width) throw new FeatureSetException($"{name} row {i} has {rows[i]?.Length ?? 0} values; row 0 has {width}.");
            foreach (float value in rows[i])
                if (!float.IsFinite(value)) throw new FeatureSetException($"{name} row {i} holds {value}.");
        }
        return width;
    }

    /// <summary>Throws when two sets' widths differ.</summary>
    public static void SameWidth(int a, int b, string nameA, string nameB)
    {
        if (a != b) throw new FeatureSetException($"{nameA} rows have {a} values but {nameB} rows have {b}.");
    }
}
