using Matryoshka.Text.MiniLM;
using Matryoshka.Text.MiniLM.Tokenization;
using Xunit;

namespace Matryoshka.Tests.Text;

public class WordPieceTokenizerTests
{
    private static readonly Lazy<WordPieceTokenizer> Shared = new(() => WordPieceTokenizer.FromFile(MiniLMModelFiles.DefaultVocabularyPath));
    private static WordPieceTokenizer Tokenizer => Shared.Value;

    private static int[] Ids(params string[] tokens) => tokens.Select(MiniLMFixture.VocabularyId).ToArray();

    [Fact]
    public void Special_tokens_have_the_ids_of_the_bert_uncased_vocabulary()
    {
        Assert.Equal(30522, Tokenizer.VocabularySize);
        Assert.Equal((0, 100, 101, 102), (Tokenizer.PaddingId, Tokenizer.UnknownId, Tokenizer.ClassId, Tokenizer.SeparatorId));
        Assert.Equal(MiniLMFixture.VocabularyId("[CLS]"), Tokenizer.ClassId);
    }

    [Fact]
    public void A_red_apple_is_cls_a_red_apple_sep()
    {
        var ids = Tokenizer.Encode("a red apple", 256);
        Assert.Equal(Ids("[CLS]", "a", "red", "apple", "[SEP]"), ids);
        Assert.Equal(new[] { 101, 1037, 2417, 6207, 102 }, ids);
    }

    [Fact]
    public void Words_outside_the_vocabulary_split_into_word_pieces_greedily()
    {
        Assert.False(MiniLMFixture.InVocabulary("embeddings"));
        Assert.Equal(new[] { "em", "##bed", "##ding", "##s" }, Tokenizer.Tokenize("embeddings"));
        Assert.Equal(Ids("[CLS]", "em", "##bed", "##ding", "##s", "[SEP]"), Tokenizer.Encode("Embeddings", 256));
        // "unbelievable" is an entry, but "unbelievably" is not, nor is any prefix longer than "un".
        Assert.Equal(new[] { "un", "##bel", "##ie", "##va", "##bly" }, Tokenizer.Tokenize("unbelievably"));
    }

    [Fact]
    public void Case_and_accents_are_removed_and_punctuation_is_split_off()
    {
        Assert.Equal(new[] { "hello", ",", "naive", "cafe", "!" }, Tokenizer.Tokenize("Héllo, NAÏVE Café!"));
        Assert.Equal(new[] { "don", "'", "t", "stop", "-", "3", ".", "14", "$" }, Tokenizer.Tokenize("don't stop-3.14$"));
        // Decomposed input (e + combining acute) ends up the same as precomposed.
        Assert.Equal(Tokenizer.Tokenize("café"), Tokenizer.Tokenize("cafe\u0301"));
    }

    [Fact]
    public void Unknown_characters_and_overlong_words_become_unk()
    {
        Assert.False(MiniLMFixture.InVocabulary("☃"));
        Assert.Equal(Ids("[CLS]", "a", "[UNK]", "apple", "[SEP]"), Tokenizer.Encode("a ☃ apple", 256));
        // A word is [UNK] whole when any rest of it cannot be spelled, not just the unknown part.
        Assert.Equal(new[] { "[UNK]" }, Tokenizer.Tokenize("apple☃"));
        Assert.Equal(new[] { "a", "[UNK]", "b" }, Tokenizer.Tokenize("a " + new string('x', 101) + " b"));
        Assert.Equal(101, Tokenizer.Tokenize(string.Concat(Enumerable.Repeat("x ", 101))).Count);
    }

    [Fact]
    public void Control_characters_are_dropped_and_any_whitespace_separates()
    {
        Assert.Equal(Tokenizer.Encode("a red apple", 256), Tokenizer.Encode("  a\tred\u00A0\napple\u0000\u200B ", 256));
        // Private-use characters are dropped too (category Co).
        Assert.Equal(new[] { "red" }, Tokenizer.Tokenize("r\uE000ed"));
    }

    [Fact]
    public void Cjk_ideographs_are_words_of_their_own()
    {
        Assert.Equal(Ids("東", "京"), Tokenizer.Tokenize("東京").Select(MiniLMFixture.VocabularyId).ToArray());
    }

    [Fact]
    public void Special_token_spellings_in_a_prompt_are_plain_text()
    {
        Assert.Equal(new[] { "[", "sep", "]" }, Tokenizer.Tokenize("[SEP]"));
    }

    [Fact]
    public void Empty_and_whitespace_prompts_are_cls_sep()
    {
        Assert.Equal(new[] { 101, 102 }, Tokenizer.Encode("", 256));
        Assert.Equal(new[] { 101, 102 }, Tokenizer.Encode(" \t\n ", 256));
    }

    [Fact]
    public void Long_text_is_truncated_to_the_limit_with_sep_last()
    {
        string huge = string.Concat(Enumerable.Repeat("apple ", 2_000_000));    // 12 MB
        var ids = Tokenizer.Encode(huge, 256);
        Assert.Equal(256, ids.Length);
        Assert.Equal(101, ids[0]);
        Assert.Equal(102, ids[^1]);
        Assert.All(ids[1..^1], id => Assert.Equal(6207, id));
        // A word that splits across the limit is cut between its pieces.
        Assert.Equal(Ids("[CLS]", "em", "##bed", "[SEP]"), Tokenizer.Encode("embeddings", 4));
    }

    [Fact]
    public void Bad_vocabularies_are_refused_with_the_reason()
    {
        Assert.Contains("[CLS]", Assert.Throws<ArgumentException>(() => new WordPieceTokenizer(new[] { "[PAD]", "[UNK]", "[SEP]" })).Message);
        Assert.Contains("repeats", Assert.Throws<ArgumentException>(() => new WordPieceTokenizer(new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[UNK]" })).Message);
        var missing = Assert.Throws<MiniLMModelFileException>(() => WordPieceTokenizer.FromFile("/nonexistent/vocab.txt"));
        Assert.Equal("/nonexistent/vocab.txt", missing.FilePath);
    }

    [Fact]
    public void Malformed_and_oversized_vocabulary_files_are_refused_naming_the_file()
    {
        using var folder = new TempFolder();
        var noClass = folder.Write("no-cls.txt", System.Text.Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n[SEP]\n"));
        var malformed = Assert.Throws<MiniLMModelFileException>(() => WordPieceTokenizer.FromFile(noClass));
        Assert.Equal(noClass, malformed.FilePath);
        Assert.Contains("[CLS]", malformed.Message);

        // A sparse file one byte over the cap: refused from its length, before anything is read.
        var huge = folder.File("huge.txt");
        using (var stream = File.Create(huge)) stream.SetLength(WordPieceVocabularyFile.MaxBytes + 1L);
        var tooLarge = Assert.Throws<MiniLMModelFileException>(() => WordPieceTokenizer.FromFile(huge));
        Assert.Equal(huge, tooLarge.FilePath);
        Assert.Contains("16 MiB", tooLarge.Message);
    }

    [Fact]
    public void A_vocabulary_file_with_crlf_line_ends_and_a_byte_order_mark_reads_like_the_plain_one()
    {
        using var folder = new TempFolder();
        var lines = File.ReadAllLines(MiniLMModelFiles.DefaultVocabularyPath);
        var path = folder.Write("crlf.txt", [.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n")]);
        var tokenizer = WordPieceTokenizer.FromFile(path);
        Assert.Equal(30522, tokenizer.VocabularySize);
        Assert.Equal(Tokenizer.Encode("Héllo, embeddings!", 256), tokenizer.Encode("Héllo, embeddings!", 256));
    }

    [Fact]
    public void Ids_and_tokens_round_trip()
    {
        Assert.True(Tokenizer.TryGetId("##bed", out int id));
        Assert.Equal(MiniLMFixture.VocabularyId("##bed"), id);
        Assert.Equal("##bed", Tokenizer.TokenOf(id));
        Assert.False(Tokenizer.TryGetId("matryoshka", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.TokenOf(30522));
    }
}
