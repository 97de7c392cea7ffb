using System.Text.Json;
using Matryoshka.Models;

namespace Matryoshka.Benchmarks;

/// <summary>
/// <c>side-by-side-info [--json PATH]</c>: the counted forward FLOPs per image and the parameter count of each
/// <see cref="SideBySideBenchmarks"/> model. The PyTorch side divides by the same counts (a FLOP counter of its own
/// would count differently and the GFLOP/s would no longer compare) and checks that its parameter counts are equal,
/// which is what shows that both sides built the same architecture. Without <c>--json</c> it writes to stdout.
/// </summary>
internal static class SideBySideInfo
{
    private static readonly string[] ModelNames = ["anchor64/4", "anchor256/4"];

    public static int Run(string[] args)
    {
        int at = Array.IndexOf(args, "--json");
        if (at >= 0 && at + 1 >= args.Length)
        {
            Console.Error.WriteLine("usage: side-by-side-info [--json PATH]");
            return 2;
        }
        using var stream = at >= 0 ? File.Create(args[at + 1]) : Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("text_length", BenchmarkModels.TextLength);
            json.WriteNumber("text_embedding_dim", SideBySideBenchmarks.TextEmbeddingDim);
            json.WriteNumber("training_step_factor", ModelFlops.TrainingStepFactor);
            json.WriteStartObject("models");
            foreach (var name in ModelNames) WriteModel(json, name);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return 0;
    }

    private static void WriteModel(Utf8JsonWriter json, string name)
    {
        var config = BenchmarkModels.Get(name);
        var flops = ModelFlops.Of(config, BenchmarkModels.TextLength);
        // Counted from the built module (what PyTorch's sum of numel() sees), not from the config.
        using var model = new NestedUNet(config);
        long parameters = model.parameters().Sum(p => p.numel());
        json.WriteStartObject(name);
        json.WriteStartArray("resolutions");
        foreach (var resolution in model.Plan.Resolutions) json.WriteNumberValue(resolution);
        json.WriteEndArray();
        json.WriteNumber("parameters", parameters);
        json.WriteNumber("forward_flops_per_image", flops.Forward);
        json.WriteStartArray("forward_flops_per_image_by_level");
        foreach (var level in flops.Levels) json.WriteNumberValue(level.Forward);
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
