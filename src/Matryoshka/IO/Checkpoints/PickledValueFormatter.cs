using System.Globalization;
using System.Numerics;
using System.Text;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Python-like text for inert checkpoint values. Output stops at a length budget, so summaries stay
/// short and cost little even for values that share sub-trees many times over.
/// </summary>
internal static class PickledValueFormatter
{
    public const int DefaultMaxLength = 4000;

    public static string Format(object? value, int maxLength = DefaultMaxLength)
    {
        var text = new StringBuilder();
        Append(text, value, maxLength);
        return text.Length > maxLength ? text.ToString(0, maxLength) + "…" : text.ToString();
    }

    /// <summary>Python's repr of a dict key that is not a str (used as the key's name in metadata).</summary>
    internal static string KeyRepr(object key) => Format(key, int.MaxValue / 4);

    private static void Append(StringBuilder text, object? value, int maxLength)
    {
        if (text.Length > maxLength)
        {
            return;
        }
        switch (value)
        {
            case null:
                text.Append("None");
                break;
            case bool flag:
                text.Append(flag ? "True" : "False");
                break;
            case long or BigInteger:
                text.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case double number:
                text.Append(double.IsNaN(number) ? "nan" : double.IsInfinity(number) ? (number > 0 ? "inf" : "-inf") : number.ToString("R", CultureInfo.InvariantCulture));
                break;
            case string str:
                text.Append('\'').Append(str.Replace("\\", "\\\\").Replace("'", "\\'")).Append('\'');
                break;
            case byte[] bytes:
                text.Append("b'");
                foreach (var b in bytes.Take(Math.Max(0, maxLength - text.Length)))
                {
                    text.Append(b is >= 0x20 and < 0x7f and not (byte)'\'' and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}");
                }
                text.Append('\'');
                break;
            case PickledObject obj:
                text.Append(ShortName(obj.TypeName)).Append('(');
                var first = true;
                foreach (var argument in obj.Arguments)
                {
                    Separator(text, ref first);
                    Append(text, argument, maxLength);
                }
                foreach (var (name, field) in obj.KeywordArguments.Concat(obj.Fields))
                {
                    Separator(text, ref first);
                    text.Append(name).Append('=');
                    Append(text, field, maxLength);
                }
                text.Append(')');
                break;
            case IReadOnlyDictionary<string, object?> dict:
                text.Append('{');
                var firstEntry = true;
                foreach (var (key, item) in dict)
                {
                    Separator(text, ref firstEntry);
                    Append(text, key, maxLength);
                    text.Append(": ");
                    Append(text, item, maxLength);
                }
                text.Append('}');
                break;
            case IReadOnlyList<object?> list:
                text.Append('[');
                var firstItem = true;
                foreach (var item in list)
                {
                    Separator(text, ref firstItem);
                    Append(text, item, maxLength);
                }
                text.Append(']');
                break;
            case PickleTuple tuple:
                text.Append('(');
                var firstPart = true;
                foreach (var item in tuple.Items)
                {
                    Separator(text, ref firstPart);
                    Append(text, item, maxLength);
                }
                text.Append(tuple.Count == 1 ? ",)" : ")");
                break;
            default:
                text.Append(value);
                break;
        }

        static void Separator(StringBuilder text, ref bool first)
        {
            if (!first)
            {
                text.Append(", ");
            }
            first = false;
        }
    }

    private static string ShortName(string typeName) => typeName[(typeName.LastIndexOf('.') + 1)..];
}
