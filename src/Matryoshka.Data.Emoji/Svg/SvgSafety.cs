using System.Xml;

namespace Matryoshka.Data.Emoji.Svg;

/// <summary>
/// Checks an untrusted SVG before a renderer sees it: well-formed XML without a DTD (no entity expansion), within
/// a size limit, and self-contained, i.e. no element that loads or runs something (<c>image</c>, <c>script</c>,
/// <c>foreignObject</c>, <c>style</c>) and no reference that is not a fragment of the same document (<c>href</c>
/// and <c>url(...)</c> must start with <c>#</c>). Emoji SVGs need none of these, so refusing them costs nothing.
/// </summary>
internal static class SvgSafety
{
    private static readonly HashSet<string> ForbiddenElements = new(StringComparer.OrdinalIgnoreCase)
        { "image", "script", "foreignObject", "style", "iframe", "video", "audio", "feImage" };

    /// <summary>Reader settings that refuse DTDs and never resolve anything outside the text.</summary>
    public static XmlReaderSettings ReaderSettings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>Throws when <paramref name="document"/> is malformed, too large or not self-contained.</summary>
    /// <exception cref="SvgIconException">The SVG is refused; the message says why and where.</exception>
    public static void Check(SvgIconDocument document, long maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(document);
        try
        {
            using var reader = XmlReader.Create(new StringReader(document.Text), ReaderSettings(maxCharacters));
            bool root = true;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                    continue;
                if (root && reader.LocalName != "svg")
                    throw new SvgIconException(document.Source, $"the root element is <{reader.LocalName}>, not <svg>");
                root = false;
                if (ForbiddenElements.Contains(reader.LocalName))
                    throw new SvgIconException(document.Source, $"has a <{reader.LocalName}> element, which emoji art never needs");
                while (reader.MoveToNextAttribute())
                    CheckAttribute(document.Source, reader.LocalName, reader.Value);
            }
        }
        catch (XmlException e)
        {
            throw new SvgIconException(document.Source, $"is not well-formed XML ({e.Message})", e);
        }
    }

    private static void CheckAttribute(string source, string name, string value)
    {
        if (name == "href" && !value.StartsWith('#'))
            throw new SvgIconException(source, $"references '{Shorten(value)}' outside the document");
        for (int at = value.IndexOf("url(", StringComparison.OrdinalIgnoreCase); at >= 0;
             at = value.IndexOf("url(", at + 4, StringComparison.OrdinalIgnoreCase))
        {
            var target = value[(at + 4)..].TrimStart(' ', '\'', '"');
            if (!target.StartsWith('#'))
                throw new SvgIconException(source, $"attribute {name} references '{Shorten(value)}' outside the document");
        }
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
