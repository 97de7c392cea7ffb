using System.Text;

namespace Matryoshka.Text.MiniLM.Tokenization;

/// <summary>Reads a WordPiece vocabulary file's lines, refusing a file too large to be a vocabulary before reading it all.</summary>
internal static class WordPieceVocabularyFile
{
    /// <summary>The largest file read: BERT vocabularies are well under 1 MiB (all-MiniLM-L6-v2's is 232 KB).</summary>
    public const int MaxBytes = 16 << 20;

    /// <summary>The lines of the file at <paramref name="path"/> (LF, CRLF or CR ends; a final line break adds no empty line).</summary>
    /// <exception cref="MiniLMModelFileException">The file is missing, unreadable or larger than <see cref="MaxBytes"/>.</exception>
    public static string[] ReadLines(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new StreamReader(new MemoryStream(ReadBounded(stream, path)), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var lines = new List<string>();
            while (reader.ReadLine() is { } line) lines.Add(line);
            return lines.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MiniLMModelFileException(path, $"cannot read the vocabulary: {e.Message}", e);
        }
    }

    // Checks the length first where the file has one, and counts while reading where it has not (a pipe).
    private static byte[] ReadBounded(Stream stream, string path)
    {
        if (stream.CanSeek && stream.Length > MaxBytes) throw TooLarge(path);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxBytes) throw TooLarge(path);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static MiniLMModelFileException TooLarge(string path) =>
        new(path, $"the vocabulary file is larger than {MaxBytes >> 20} MiB, the most a WordPiece vocabulary may be.");
}
