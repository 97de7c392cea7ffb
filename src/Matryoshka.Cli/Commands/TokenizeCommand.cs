using System.CommandLine;
using Matryoshka.Conditioning.Tokenization;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka tokenize --vocab t5.vocab [--training] [--max-caption-length N] "caption"</c>: prints the token ids
/// ml-mdm feeds its text encoder for a caption, as a compact JSON array. Exit codes: 0 printed, 2 an input was refused.
/// </summary>
internal static class TokenizeCommand
{
    /// <summary>Exit code for a missing or malformed vocabulary, or options that do not go together.</summary>
    internal const int InputRefused = 2;

    public static Command Create()
    {
        var caption = new Argument<string>("caption") { Description = "The caption to tokenize." };
        var vocab = new Option<string>("--vocab") { Description = "ml-mdm's t5.vocab (one 'piece<TAB>log-prob' line per token).", Required = true };
        var training = new Option<bool>("--training") { Description = "The training reader's ids (a space after the caption too) instead of generation's." };
        var maxCaptionLength = new Option<int>("--max-caption-length")
        {
            Description = "Generation only: keep the caption's first N characters (code points) first, like ml-mdm's max_caption_length; -1 keeps all.",
            DefaultValueFactory = _ => -1,
        };
        var command = new Command("tokenize",
            "Print the token ids ml-mdm gives a caption over its T5 vocabulary (cheapest segmentation, unknown bytes dropped, </s> appended) as a JSON array.");
        command.Arguments.Add(caption);
        foreach (var option in new Option[] { vocab, training, maxCaptionLength }) command.Options.Add(option);
        command.SetAction(parse => Run(parse.GetValue(vocab)!, parse.GetValue(caption)!, parse.GetValue(training), parse.GetValue(maxCaptionLength),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string vocabPath, string caption, bool training, int maxCaptionLength, TextWriter stdout, TextWriter stderr)
    {
        if (training && maxCaptionLength != -1)
        {
            stderr.WriteLine("refused: --max-caption-length applies to generation only (ml-mdm's training reader drops long captions rather than cutting them)");
            return InputRefused;
        }
        if (!File.Exists(vocabPath))
        {
            stderr.WriteLine(Directory.Exists(vocabPath)
                ? $"refused: {vocabPath} is a directory, not a vocabulary file"
                : $"refused: vocabulary file not found: {vocabPath}");
            return InputRefused;
        }

        try
        {
            var tokenizer = MlMdmTokenizer.Load(vocabPath);
            var ids = training ? tokenizer.EncodeForTraining(caption) : tokenizer.EncodeForInference(caption, maxCaptionLength);
            stdout.WriteLine($"[{string.Join(',', ids)}]");
            return 0;
        }
        catch (Exception e) when (e is VocabularyFormatException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return InputRefused;
        }
    }
}
