using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Matryoshka.Evaluation;
using Matryoshka.Pipelines;
using Matryoshka.Text.MiniLM;

namespace Matryoshka.Cli.Evaluation;

/// <summary>
/// <c>matryoshka eval-video --model FOLDER --clips data/emoji-clips --stills data/emoji</c>: a text-to-video model on
/// the synthetic emoji clips (<see cref="VideoEvaluation"/>), beside the training clips and, with --image-model,
/// frames sampled independently. Exit codes: 0 done, 2 bad input.
/// </summary>
internal static class EvalVideoCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The video model's folder (or shipped name).", Required = true };
        var image = new Option<string?>("--image-model") { Description = "An image model at the frame size, sampled once per frame as the baseline." };
        var clipsData = new Option<string>("--clips") { Description = "prepare-emoji-clips' folder.", Required = true };
        var stills = new Option<string>("--stills") { Description = "The emoji stills the clips were made from (retrieval gallery).", Required = true };
        var count = new Option<int>("--count") { Description = "Clips to score.", DefaultValueFactory = _ => 60 };
        var seed = new Option<int>("--seed") { Description = "Chooses the emoji and seeds sampling.", DefaultValueFactory = _ => 0 };
        var json = new Option<string?>("--json") { Description = "Also write the rows as JSON." };
        var command = new Command("eval-video", "Motion and object consistency of a text-to-video model on the synthetic emoji clips.");
        foreach (var option in new Option[] { model, image, clipsData, stills, count, seed, json }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var (stdout, stderr) = (parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            try
            {
                using var encoder = new MiniLMTextEncoder(new MiniLMTextEncoderOptions { MaxTokens = EmbeddedModel.MaxTokens });
                using var video = MatryoshkaPipeline.CreateBuilder().FromPretrained(ModelFolders.Resolve(parse.GetValue(model))).Build();
                using var baseline = parse.GetValue(image) is { } folder ? MatryoshkaPipeline.CreateBuilder().FromPretrained(ModelFolders.Resolve(folder)).Build() : null;
                var rows = VideoEvaluation.Run(parse.GetValue(clipsData)!, parse.GetValue(stills)!, (video, encoder),
                    baseline is null ? null : (baseline, encoder), parse.GetValue(count), parse.GetValue(seed));
                foreach (var row in rows)
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{row.Source}: {row.Clips} clips, direction {row.DirectionMatch:P1}, frames agreeing with the first {row.AgreeWithFirst:P1}, captioned emoji in top-5 {row.CorrectInTop5:P1}"));
                if (parse.GetValue(json) is { } path) File.WriteAllText(path, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            catch (Exception e) when (e is MatryoshkaException or ArgumentException or IOException)
            {
                stderr.WriteLine($"refused: {e.Message}");
                return EvalCommand.InputRefused;
            }
        });
        return command;
    }
}
