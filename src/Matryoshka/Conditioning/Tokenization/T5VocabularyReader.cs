using System.Globalization;
using System.Text;

namespace Matryoshka.Conditioning.Tokenization;

/// <summary>
/// Parses <c>t5.vocab</c> exactly as ml-mdm's <c>read_dictionary_t5</c>: lines split on '\n'; trailing ASCII
/// whitespace stripped; one TAB between piece and log-probability; cost = −log-probability; each ▁ (E2 96 81) in
/// the piece replaced by one space byte; the piece's bytes inserted into the trie with the line number as id.
/// </summary>
internal static class T5VocabularyReader
{
    /// <summary>SentencePiece's word-boundary marker U+2581, which ml-mdm turns into a space.</summary>
    public const char SpaceMarker = '\u2581';

    private static ReadOnlySpan<byte> SpaceMarkerUtf8 => [0xE2, 0x96, 0x81];

    private const int MaxShownChars = 40;

    public static T5Vocabulary Read(Stream stream, string source)
    {
        var content = ReadBounded(stream, source);
        if (content.Length == 0)
        {
            throw new VocabularyFormatException(source, "empty file: a vocabulary needs one 'piece<TAB>log-prob' line per token");
        }

        var pieces = new List<byte>(content.Length);
        var pieceStart = new List<int> { 0 };
        var costs = new List<double>();
        var trie = new ByteTrieBuilder();
        var keyBuffer = new List<byte>();
        var lineNumber = 0;
        var position = 0;
        while (position < content.Length)
        {
            var newline = Array.IndexOf(content, (byte)'\n', position);
            var end = newline < 0 ? content.Length : newline;
            var line = TrimEndAsciiWhitespace(content.AsSpan(position, end - position));
            position = end + 1;
            lineNumber++;

            var cost = ParseLine(line, source, lineNumber, out var tab);
            var piece = line[..tab];
            var key = SpaceMarkersToSpaces(piece, keyBuffer);
            var id = costs.Count;
            var earlier = trie.Insert(key, id);
            if (earlier >= 0)
            {
                throw new VocabularyFormatException(source, lineNumber,
                    $"piece '{Show(piece)}' repeats line {earlier + 1} (▁ counts as a space)");
            }
            pieces.AddRange(piece);
            pieceStart.Add(pieces.Count);
            costs.Add(cost);
        }

        return new T5Vocabulary([.. pieces], [.. pieceStart], [.. costs], trie.Build(), source);
    }

    private static byte[] ReadBounded(Stream stream, string source)
    {
        var tooLarge = $"larger than {T5Vocabulary.MaxFileBytes / (1024 * 1024)} MiB, the most a vocabulary file may be";
        if (stream.CanSeek && stream.Length - stream.Position > T5Vocabulary.MaxFileBytes)
        {
            throw new VocabularyFormatException(source, tooLarge);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > T5Vocabulary.MaxFileBytes)
            {
                throw new VocabularyFormatException(source, tooLarge);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The cost on <paramref name="line"/>; the piece is the bytes before <paramref name="tab"/>.</summary>
    private static double ParseLine(ReadOnlySpan<byte> line, string source, int lineNumber, out int tab)
    {
        tab = line.IndexOf((byte)'\t');
        if (tab < 0)
        {
            throw new VocabularyFormatException(source, lineNumber,
                $"no TAB between piece and log-probability in '{Show(line)}'");
        }
        if (tab == 0)
        {
            // ml-mdm's tokenizer would match the empty piece everywhere at no progress; no real vocabulary has one.
            throw new VocabularyFormatException(source, lineNumber, $"empty piece before the TAB in '{Show(line)}'; every line names a piece");
        }
        var field = line[(tab + 1)..];
        if (field.Contains((byte)'\t'))
        {
            throw new VocabularyFormatException(source, lineNumber,
                $"more than one TAB in '{Show(line)}'; expected 'piece<TAB>log-prob'");
        }

        var text = Encoding.UTF8.GetString(field).Trim(' ', '\t', '\r', '\n', '\v', '\f');
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var logProb))
        {
            throw new VocabularyFormatException(source, lineNumber, $"log-probability '{Show(field)}' is not a number");
        }
        if (!double.IsFinite(logProb))
        {
            throw new VocabularyFormatException(source, lineNumber, $"log-probability '{Show(field)}' is not finite");
        }
        var cost = -logProb;
        if (cost < 0)
        {
            throw new VocabularyFormatException(source, lineNumber,
                $"log-probability {text} is positive; the shortest-path tokenizer needs costs >= 0");
        }
        return cost;
    }

    private static ReadOnlySpan<byte> TrimEndAsciiWhitespace(ReadOnlySpan<byte> line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C)
        {
            end--;
        }
        return line[..end];
    }

    private static ReadOnlySpan<byte> SpaceMarkersToSpaces(ReadOnlySpan<byte> piece, List<byte> buffer)
    {
        if (piece.IndexOf(SpaceMarkerUtf8) < 0)
        {
            return piece;
        }
        buffer.Clear();
        while (true)
        {
            var marker = piece.IndexOf(SpaceMarkerUtf8);
            if (marker < 0)
            {
                buffer.AddRange(piece);
                break;
            }
            buffer.AddRange(piece[..marker]);
            buffer.Add((byte)' ');
            piece = piece[(marker + SpaceMarkerUtf8.Length)..];
        }
        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buffer);
    }

    private static string Show(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Length <= MaxShownChars ? text : text[..MaxShownChars] + "…";
    }
}
