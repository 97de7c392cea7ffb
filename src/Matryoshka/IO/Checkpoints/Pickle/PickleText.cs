using System.Globalization;
using System.Numerics;
using System.Text;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Parsing of the text forms of protocol 0 (INT, LONG, FLOAT, STRING, UNICODE), returning null for
/// text the opcode cannot hold so the caller can report where.
/// </summary>
internal static class PickleText
{
    /// <summary>Longest integer accepted, in decimal digits or bytes: far beyond any checkpoint value.</summary>
    public const int MaxIntegerLength = 1024;

    /// <summary>Narrows to long when the value fits, as every integer a checkpoint uses does.</summary>
    public static object Integer(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;

    /// <summary>INT: a decimal integer, or "00"/"01" which protocol 0 uses for False/True.</summary>
    public static object? ParseInt(string text) => text switch
    {
        "00" => false,
        "01" => true,
        _ => ParseInteger(text),
    };

    /// <summary>LONG: a decimal integer with an optional trailing 'L' (Python 2).</summary>
    public static object? ParseLong(string text) =>
        ParseInteger(text.EndsWith('L') ? text[..^1] : text);

    public static double? ParseFloat(string text)
    {
        switch (text)
        {
            case "inf": return double.PositiveInfinity;
            case "-inf": return double.NegativeInfinity;
            case "nan": return double.NaN;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private static object? ParseInteger(string text)
    {
        var digits = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        if (digits.Length == 0 || digits.Length > MaxIntegerLength || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }
        return Integer(BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// STRING: a quoted Python 2 byte-string literal (<c>'abc'</c> or <c>"abc"</c>) with backslash
    /// escapes; returns its bytes.
    /// </summary>
    public static byte[]? ParseQuotedBytes(byte[] line)
    {
        if (line.Length < 2 || (line[0] != '\'' && line[0] != '"') || line[^1] != line[0])
        {
            return null;
        }
        var result = new List<byte>(line.Length);
        for (var i = 1; i < line.Length - 1; i++)
        {
            var b = line[i];
            if (b != '\\')
            {
                result.Add(b);
                continue;
            }
            if (++i >= line.Length - 1)
            {
                return null;
            }
            switch ((char)line[i])
            {
                case '\\': result.Add((byte)'\\'); break;
                case '\'': result.Add((byte)'\''); break;
                case '"': result.Add((byte)'"'); break;
                case 'n': result.Add((byte)'\n'); break;
                case 'r': result.Add((byte)'\r'); break;
                case 't': result.Add((byte)'\t'); break;
                case 'a': result.Add(7); break;
                case 'b': result.Add(8); break;
                case 'f': result.Add(12); break;
                case 'v': result.Add(11); break;
                case 'x':
                    if (i + 2 > line.Length - 2 || !TryHex(line, i + 1, 2, out var hex))
                    {
                        return null;
                    }
                    result.Add((byte)hex);
                    i += 2;
                    break;
                case >= '0' and <= '7':
                    var octal = 0;
                    var count = 0;
                    while (count < 3 && i < line.Length - 1 && line[i] is >= (byte)'0' and <= (byte)'7')
                    {
                        octal = octal * 8 + (line[i] - '0');
                        i++;
                        count++;
                    }
                    i--;
                    result.Add((byte)(octal & 0xff));
                    break;
                default:
                    // Python keeps an unknown escape as the backslash and the character.
                    result.Add((byte)'\\');
                    result.Add(line[i]);
                    break;
            }
        }
        return result.ToArray();
    }

    /// <summary>UNICODE: Python's raw-unicode-escape — Latin-1 text with \uXXXX and \UXXXXXXXX escapes.</summary>
    public static string? ParseRawUnicodeEscape(byte[] line)
    {
        var text = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is (byte)'u' or (byte)'U')
            {
                var digits = line[i + 1] == 'u' ? 4 : 8;
                if (!TryHex(line, i + 2, digits, out var code) || code > 0x10FFFF)
                {
                    return null;
                }
                if (code is >= 0xD800 and <= 0xDFFF)
                {
                    text.Append((char)code);
                }
                else
                {
                    text.Append(char.ConvertFromUtf32((int)code));
                }
                i += 1 + digits;
                continue;
            }
            text.Append((char)line[i]);
        }
        return text.ToString();
    }

    private static bool TryHex(byte[] line, int start, int digits, out long value)
    {
        value = 0;
        if (start + digits > line.Length)
        {
            return false;
        }
        for (var i = start; i < start + digits; i++)
        {
            var c = (char)line[i];
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
            value = value * 16 + (char.IsAsciiDigit(c) ? c - '0' : (char.ToLowerInvariant(c) - 'a' + 10));
        }
        return true;
    }
}
