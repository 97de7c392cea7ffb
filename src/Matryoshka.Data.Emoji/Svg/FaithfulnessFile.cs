using System.Globalization;
using System.Text;

namespace Matryoshka.Data.Emoji.Svg;

/// <summary>
/// <c>faithfulness.tsv</c>: one line per emoji of the reference set, written or not, with the icon it maps to, its
/// pooled difference from the reference image, the difference between renderers when compared, the decision and
/// why. Differences have two decimals; an empty field means "not measured".
/// </summary>
internal static class FaithfulnessFile
{
    public const string FileName = "faithfulness.tsv";
    public const string Header = "file\ticon\tdifference\trenderer_difference\tdecision\tdetail";

    public static byte[] Encode(IEnumerable<SvgEmojiOutcome> outcomes)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var o in outcomes)
            text.AppendJoin('\t', o.Stem + ".png", Field(o.IconName ?? ""), Number(o.Difference), Number(o.RendererDifference), o.Decision, Field(o.Detail))
                .Append('\n');
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
    }

    private static string Number(double? value) => value?.ToString("F2", CultureInfo.InvariantCulture) ?? "";

    private static string Field(string value) => new(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
}
