namespace Matryoshka.Data.Emoji.Svg;

/// <summary>What <see cref="SvgEmojiDatasetPreparation"/> did with every emoji of the reference set.</summary>
/// <param name="OutputFolder">The folder written.</param>
/// <param name="Package">The icon package described for people, e.g. <c>@iconify-json/noto 1.2.9</c>.</param>
/// <param name="Renderer">The renderer's name.</param>
/// <param name="Resolution">Side of the images written.</param>
/// <param name="MaxDifference">The faithfulness threshold used.</param>
/// <param name="Outcomes">One outcome per emoji considered, in reference index order.</param>
public sealed record SvgEmojiPreparationResult(
    string OutputFolder, string Package, string Renderer, int Resolution, double MaxDifference, IReadOnlyList<SvgEmojiOutcome> Outcomes)
{
    /// <summary>Emoji written.</summary>
    public int Kept => Count(SvgEmojiDecision.Kept);

    /// <summary>The file stems written (each a <c>.png</c> and a <c>.txt</c>), in reference index order.</summary>
    public IReadOnlyList<string> KeptStems => Outcomes.Where(o => o.Decision == SvgEmojiDecision.Kept).Select(o => o.Stem).ToList();

    /// <summary>The emoji not written, each with the reason, in reference index order.</summary>
    public IReadOnlyList<SvgEmojiOutcome> Excluded => Outcomes.Where(o => o.Decision != SvgEmojiDecision.Kept).ToList();

    /// <summary>Emoji whose icon was found and rendered (kept or excluded for changed art).</summary>
    public int Rendered => Outcomes.Count(o => o.Difference is not null);

    /// <summary>How many emoji ended with <paramref name="decision"/>.</summary>
    public int Count(SvgEmojiDecision decision) => Outcomes.Count(o => o.Decision == decision);

    /// <summary>The median pooled difference over the rendered emoji; null when none was rendered.</summary>
    public double? MedianDifference => Median(Outcomes.Select(o => o.Difference));

    /// <summary>The median difference between the two renderers; null without a comparison.</summary>
    public double? MedianRendererDifference => Median(Outcomes.Select(o => o.RendererDifference));

    private static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToList();
        if (sorted.Count == 0)
            return null;
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
