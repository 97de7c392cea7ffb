using System.CommandLine;
using Matryoshka.Training;
using Matryoshka.Training.Checkpoints;
using static TorchSharp.torch;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka grow --from checkpoint.json|weights.safetensors --to larger-model.yaml --out grown.safetensors</c>:
/// progressive training's growth step on its own (<see cref="ModelGrowthFiles"/>): the smaller model (a checkpoint's
/// EMA by default) becomes the larger model's <c>inner_unet.*</c>; the new level starts with zero output.
/// </summary>
internal static class GrowCommand
{
    internal const int Refused = 2;

    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "A training checkpoint (.json record) or the smaller model's weights (.safetensors).", Required = true };
        var to = new Option<string>("--to") { Description = "The larger model's config (ml-mdm .yaml or .json); its inner level must be the smaller model.", Required = true };
        var output = new Option<string>("--out") { Description = "The grown model's weights (.safetensors).", Required = true };
        var raw = new Option<bool>("--raw") { Description = "From a checkpoint, take the raw weights instead of the EMA." };
        var textDim = new Option<int?>("--text-dim") { Description = "Text width for configs that leave it to run time." };
        var seed = new Option<long>("--seed") { Description = "Seed of the new level's initialisation.", DefaultValueFactory = _ => 0 };
        var initialWeights = new Option<string?>("--initial-weights") { Description = "From a compact training checkpoint, the weights file its run started from, if not at the path its record names." };
        var command = new Command("grow", "Grow a trained model into a larger Matryoshka model (the smaller one becomes its inner level).");
        foreach (var option in new Option[] { from, to, output, raw, textDim, seed, initialWeights }) command.Options.Add(option);
        command.SetAction(parse => Run(parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(output)!, parse.GetValue(raw),
            parse.GetValue(textDim), parse.GetValue(seed), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error,
            parse.GetValue(initialWeights)));
        return command;
    }

    internal static int Run(string from, string to, string output, bool raw, int? textDim, long seed, TextWriter stdout, TextWriter stderr,
        string? initialWeights = null)
    {
        try
        {
            manual_seed(seed); // the application owns torch's global generator
            var grown = ModelGrowthFiles.Grow(from, to, output, new ModelGrowthFileOptions
            {
                TextEmbeddingDim = textDim, Weights = raw ? CheckpointWeightsKind.Trained : CheckpointWeightsKind.Ema, InitialWeights = initialWeights,
            });
            stdout.WriteLine($"grown: {grown.SourceTensors} tensors of {from} → inner_unet.* of {to}; {grown.WrittenTensors} tensors written to {output}");
            return 0;
        }
        catch (Exception e) when (e is MatryoshkaException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return Refused;
        }
    }
}
