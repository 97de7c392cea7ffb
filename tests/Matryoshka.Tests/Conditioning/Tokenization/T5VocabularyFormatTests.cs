using System.Text;
using Matryoshka.Conditioning.Tokenization;
using Matryoshka.IO;
using Xunit;

namespace Matryoshka.Tests.Conditioning.Tokenization;

public class T5VocabularyFormatTests
{
    private const string Header = "<pad>\t0.0\n</s>\t0.0\n";

    [Theory]
    [InlineData(Header + "▁a\n", 3, "no TAB between piece and log-probability")]
    [InlineData(Header + "a\t-1.0\t2\n", 3, "more than one TAB")]
    [InlineData(Header + "a\t\n", 3, "no TAB")] // trailing whitespace, the TAB included, is stripped first
    [InlineData(Header + "a\t+\n", 3, "log-probability '+' is not a number")]
    [InlineData(Header + "a\tabc\n", 3, "log-probability 'abc' is not a number")]
    [InlineData(Header + "a\t1,5\n", 3, "is not a number")]
    [InlineData(Header + "a\tNaN\n", 3, "is not finite")]
    [InlineData(Header + "a\t-Infinity\n", 3, "is not finite")]
    [InlineData(Header + "a\t0.5\n", 3, "log-probability 0.5 is positive")]
    [InlineData(Header + "▁a\t-1\n a\t-2\n", 4, "piece ' a' repeats line 3")]
    [InlineData("<pad>\t0.0\n\n</s>\t0.0\n", 2, "no TAB")]
    [InlineData(Header + "\t-1.0\n", 3, "empty piece before the TAB")]
    public void Malformed_lines_are_refused_with_file_and_line(string content, int line, string fragment)
    {
        var error = Assert.Throws<VocabularyFormatException>(() => Load(content));

        Assert.Equal("bad.vocab", error.FilePath);
        Assert.Equal(line, error.LineNumber);
        Assert.StartsWith($"bad.vocab: line {line}: ", error.Message);
        Assert.Contains(fragment, error.Message);
        Assert.IsAssignableFrom<InvalidFileException>(error);
        Assert.IsAssignableFrom<MatryoshkaException>(error);
    }

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("<pad>\t0.0\n", "no '</s>' piece")]
    [InlineData("</s>\t0.0\n", "no '<pad>' piece")]
    public void Unusable_files_are_refused(string content, string fragment)
    {
        var error = Assert.Throws<VocabularyFormatException>(() => Load(content));

        Assert.Null(error.LineNumber);
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void File_over_the_size_limit_is_refused_before_reading()
    {
        using var folder = new TempFolder();
        var path = folder.File("huge.vocab");
        using (var file = File.Create(path))
        {
            file.SetLength(T5Vocabulary.MaxFileBytes + 1); // sparse: nothing is written
        }

        var error = Assert.Throws<VocabularyFormatException>(() => T5Vocabulary.Load(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("larger than 64 MiB", error.Message);
    }

    [Fact]
    public void Crlf_lines_trailing_whitespace_and_a_missing_final_newline_are_accepted()
    {
        var vocabulary = Load("<pad>\t0.0\r\n</s>\t-0.0  \r\n▁a\t -1.5\t\r\nb\t-2e0");

        Assert.Equal(4, vocabulary.Count);
        Assert.Equal(1.5, vocabulary.GetScore(2));
        Assert.Equal(2.0, vocabulary.GetScore(3));
        Assert.Equal("▁a", vocabulary.GetPiece(2));
    }

    [Fact]
    public void Pieces_are_matched_as_bytes_with_spaces_for_markers()
    {
        var tokenizer = new MlMdmTokenizer(Load(Header + "▁a\t-1\na\t-3\n▁\t-3\nb\t-1\n"));

        Assert.Equal([2, 5], tokenizer.Tokenize(" ab"));
        Assert.Equal([4, 2, 5], tokenizer.Tokenize("  a?b"));
    }

    private static T5Vocabulary Load(string content) =>
        T5Vocabulary.Load(new MemoryStream(Encoding.UTF8.GetBytes(content)), "bad.vocab");
}
