namespace Matryoshka.Diffusion;

/// <summary>
/// MDM's mixed-resolution batches: only the first part of a batch carries the higher-resolution levels, so the
/// expensive levels see fewer samples. Shares are given per level, high → low (ml-mdm <c>mixed_ratio</c>, e.g.
/// "2:1"); level l then uses the first ⌊f_l·B⌋ samples, where f is the cumulative share normalised to end at 1,
/// and its per-sample loss is divided by f_l so the expected loss is unchanged.
/// </summary>
public sealed class MixedResolutionBatch
{
    private readonly double[] _fractions;

    /// <summary>Creates the split from per-level shares, high → low (all positive and finite).</summary>
    public MixedResolutionBatch(IReadOnlyList<double> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Count == 0) throw new ArgumentException("At least one share is required.", nameof(shares));
        for (int l = 0; l < shares.Count; l++)
            if (!(shares[l] > 0 && double.IsFinite(shares[l])))
                throw new ArgumentException($"mixed_ratio share of level {l} is {shares[l]}; every share must be positive and finite.", nameof(shares));

        // numpy: cumsum(shares) / cumsum(shares)[-1]
        _fractions = new double[shares.Count];
        double sum = 0;
        for (int l = 0; l < shares.Count; l++) _fractions[l] = sum += shares[l];
        for (int l = 0; l < shares.Count; l++) _fractions[l] /= sum;
    }

    /// <summary>Parses ml-mdm's colon-separated form, e.g. "2:1".</summary>
    /// <exception cref="FormatException">A share is not a number.</exception>
    public static MixedResolutionBatch Parse(string ratio)
    {
        ArgumentNullException.ThrowIfNull(ratio);
        return new MixedResolutionBatch(ParseColonList(ratio, "mixed_ratio"));
    }

    /// <summary>Number of levels.</summary>
    public int LevelCount => _fractions.Length;

    /// <summary>The fraction f_l of the batch that carries each level, high → low; the last is 1.</summary>
    public IReadOnlyList<double> Fractions => _fractions;

    /// <summary>How many leading samples of a batch of <paramref name="batchSize"/> carry level <paramref name="level"/>.</summary>
    public int RowsAtLevel(int level, long batchSize) => (int)(_fractions[level] * batchSize);

    internal static double[] ParseColonList(string text, string field)
    {
        var parts = text.Split(':');
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i].Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out values[i]))
                throw new FormatException($"{field} '{text}': entry {i} ('{parts[i]}') is not a number.");
        return values;
    }
}
