using System.Globalization;
using System.Text;
using Matryoshka.IO;

namespace Matryoshka.Models.Inspection;

/// <summary>A valid safetensors file's header as text (what <c>matryoshka inspect</c> prints).</summary>
internal static class SafetensorsText
{
    // Long metadata values (embedded configs, for instance) are cut to keep the listing readable.
    private const int MaxValueChars = 200;
    private const int MaxNameColumn = 60;

    internal static void Write(string path, SafetensorsHeader header, TextWriter output)
    {
        output.WriteLine($"{Printable(path)}: safetensors, {Count(header.FileLength)} bytes " +
                         $"(header {Count(header.HeaderLength)}, data {Count(header.DataLength)})");
        output.WriteLine();

        var rows = header.Tensors
            .Select(t => (Name: Printable(t.Name), DType: t.DType.ToHeaderString(), Shape: t.ShapeText, Bytes: Count(t.ByteLength)))
            .ToList();
        var nameWidth = Math.Min(MaxNameColumn, rows.Select(r => r.Name.Length).Append("name".Length).Max());
        var shapeWidth = rows.Select(r => r.Shape.Length).Append("shape".Length).Max();
        var bytesWidth = rows.Select(r => r.Bytes.Length).Append("bytes".Length).Max();
        output.WriteLine($"{"name".PadRight(nameWidth)}  {"dtype",-5}  {"shape".PadRight(shapeWidth)}  {"bytes".PadLeft(bytesWidth)}");
        foreach (var row in rows)
        {
            output.WriteLine($"{row.Name.PadRight(nameWidth)}  {row.DType,-5}  {row.Shape.PadRight(shapeWidth)}  {row.Bytes.PadLeft(bytesWidth)}");
        }
        output.WriteLine();

        if (header.Metadata.Count == 0)
        {
            output.WriteLine("metadata: none");
        }
        else
        {
            output.WriteLine($"metadata ({header.Metadata.Count}):");
            foreach (var (key, value) in header.Metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                output.WriteLine($"  {Printable(key)} = {Shorten(Printable(value))}");
            }
        }
        output.WriteLine();

        output.WriteLine($"totals: {Count(header.Tensors.Count)} tensors, {Count(header.TotalElementCount)} elements, " +
                         $"{Count(header.DataLength)} bytes");
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Shorten(string text) =>
        text.Length <= MaxValueChars ? text : $"{text[..MaxValueChars]}… ({Count(text.Length)} chars)";

    /// <summary>Names and values come from an untrusted file: escape control characters so they cannot drive the terminal.</summary>
    private static string Printable(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c);
        }
        return builder.ToString();
    }
}
