using Matryoshka.Cli.Commands;
using Matryoshka.Tests.Conditioning.Tokenization;
using Xunit;

namespace Matryoshka.Tests.Cli;

public class TokenizeCommandTests
{
    private static readonly string Vocab = Fixtures.Tokenizer("t5.vocab");

    [Fact]
    public void Prints_the_inference_ids_as_a_compact_json_array()
    {
        var expected = TokenizerCaptions.Cases.Single(c => c.Caption == "a photo of a cat");

        var (code, stdout, stderr) = Run(Vocab, "a photo of a cat");

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Equal($"[{string.Join(',', expected.InferenceIds)}]", stdout.TrimEnd());
    }

    [Fact]
    public void Training_flag_prints_the_training_ids()
    {
        var expected = TokenizerCaptions.Cases.Single(c => c.Caption == "a photo of a cat");

        var (code, stdout, _) = Run(Vocab, "a photo of a cat", training: true);

        Assert.Equal(0, code);
        Assert.Equal($"[{string.Join(',', expected.TrainingIds)}]", stdout.TrimEnd());
    }

    [Fact]
    public void Max_caption_length_cuts_the_caption_first()
    {
        var (_, cut, _) = Run(Vocab, "a photo of a cat", maxCaptionLength: 7);
        var (_, whole, _) = Run(Vocab, "a photo");

        Assert.Equal(whole, cut);
    }

    [Fact]
    public void Command_line_parsing_reaches_the_command()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = TokenizeCommand.Create().Parse(["--vocab", Vocab, "--training", "x"])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(0, code);
        Assert.Equal("", error.ToString());
        Assert.Equal("[3,226,3,1]", output.ToString().TrimEnd());
    }

    [Fact]
    public void Missing_vocabulary_exits_with_2_and_one_line()
    {
        using var folder = new TempFolder();

        var (code, stdout, stderr) = Run(folder.File("absent.vocab"), "a cat");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("refused: vocabulary file not found: ", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Malformed_vocabulary_exits_with_2_naming_the_line()
    {
        using var folder = new TempFolder();
        var path = folder.Write("bad.vocab", "<pad>\t0.0\n</s>\tzero\n"u8.ToArray());

        var (code, stdout, stderr) = Run(path, "a cat");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal($"refused: {path}: line 2: log-probability 'zero' is not a number", stderr.TrimEnd());
    }

    [Fact]
    public void Max_caption_length_with_training_is_refused()
    {
        var (code, _, stderr) = Run(Vocab, "a cat", training: true, maxCaptionLength: 3);

        Assert.Equal(2, code);
        Assert.Contains("--max-caption-length applies to generation only", stderr);
    }

    private static (int Code, string Stdout, string Stderr) Run(string vocab, string caption, bool training = false, int maxCaptionLength = -1)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = TokenizeCommand.Run(vocab, caption, training, maxCaptionLength, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
