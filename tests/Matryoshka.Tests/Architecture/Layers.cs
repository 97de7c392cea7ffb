namespace Matryoshka.Tests.Architecture;

/// <summary>
/// The layers, bottom first: a namespace may use its own layer and those below, never one above. The same table is in
/// docs/architecture.md, which says why each layer sits where it does; change both together.
/// </summary>
internal static class Layers
{
    /// <summary>The core library (Matryoshka), then the satellite packages, then the applications.</summary>
    public static IReadOnlyList<Layer> BottomUp { get; } =
    [
        new("Foundation", ["Matryoshka", "Matryoshka.Build", "Matryoshka.Runtime"]),
        new("Diagnostics", ["Matryoshka.Diagnostics"]),
        new("IO", ["Matryoshka.IO", "Matryoshka.IO.Configuration", "Matryoshka.IO.Checkpoints", "Matryoshka.IO.Weights"]),
        new("Schedules", ["Matryoshka.Schedules"]),
        new("Diffusion", ["Matryoshka.Diffusion"]),
        // Below Models: the UNet consumes TextConditioning, and the T5 encoder needs nothing from Models.
        new("Conditioning", ["Matryoshka.Conditioning", "Matryoshka.Conditioning.Tokenization", "Matryoshka.Conditioning.T5"]),
        new("Models", ["Matryoshka.Models", "Matryoshka.Models.Blocks"]),
        new("Sampling", ["Matryoshka.Sampling"]),
        new("Guidance", ["Matryoshka.Guidance"]),
        new("ml-mdm interop", ["Matryoshka.Interop.MlMdm", "Matryoshka.Interop.MlMdm.Parity"]),
        new("Inspection", ["Matryoshka.Models.Inspection"]),
        new("Model folders", ["Matryoshka.Pipelines.Pretrained"]),
        new("Pipelines", ["Matryoshka.Pipelines", "Matryoshka.Pipelines.Generation", "Matryoshka.Interop.MlMdm.Presets"]),
        new("Training", ["Matryoshka.Training.Data", "Matryoshka.Training", "Matryoshka.Training.Checkpoints", "Matryoshka.Training.Runs"]),
        new("Hosting", ["Matryoshka.Hosting"]),
        new("Adapters", ["Matryoshka.ImageSharp", "Matryoshka.ImageSharp.Training", "Matryoshka.Text.MiniLM", "Matryoshka.Text.MiniLM.Tokenization"]),
        new("Packaged models and data", ["Matryoshka.Models.Emoji64", "Matryoshka.Models.Emoji256", "Matryoshka.Data.Emoji", "Matryoshka.Data.Emoji.Svg"]),
        new("Evaluation", ["Matryoshka.Evaluation"]),
        new("Workflows", ["Matryoshka.Training.Configuration", "Matryoshka.Training.Plotting", "Matryoshka.Training.Experiments", "Matryoshka.Benchmarks.Comparison"]),
        new("Serving", ["Matryoshka.Extensions.AI", "Matryoshka.AspNetCore"]),
        new("Applications", ["Matryoshka.Cli", "Matryoshka.Cli.Commands", "Matryoshka.Cli.Evaluation", "Matryoshka.Cli.Experiments", "Matryoshka.Cli.Training", "Matryoshka.Cli.Root"]),
    ];

    /// <summary>The table with <paramref name="extra"/> namespaces added to the layer named <paramref name="layer"/>.</summary>
    public static IReadOnlyList<Layer> With(string layer, params string[] extra) =>
        BottomUp.Select(l => l.Name == layer ? l with { Namespaces = [.. l.Namespaces, .. extra] } : l).ToList();
}
