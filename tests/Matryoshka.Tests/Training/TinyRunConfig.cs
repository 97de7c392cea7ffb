using System.Globalization;

namespace Matryoshka.Tests.Training;

/// <summary>
/// Writes a short version of samples/configs/tiny-two-level.yaml (the bundled model config and emoji, both copied next
/// to the test assembly) into a folder, for end-to-end runs of <c>matryoshka train</c>.
/// </summary>
internal static class TinyRunConfig
{
    /// <summary>The bundled emoji the config trains on unless told another folder.</summary>
    public static string EmojiFolder => Path.Combine(AppContext.BaseDirectory, "samples", "emoji-mini");

    public static string Write(string folder, int stageSteps = 12, int checkpointEvery = 5, int keep = 3, string? dataPath = null)
    {
        string samples = Path.Combine(AppContext.BaseDirectory, "samples");
        string yaml = $"""
            model: {Path.Combine(samples, "configs", "tiny-two-level.model.yaml")}
            seed: 3
            data: {"{"} kind: image-folder, path: {dataPath ?? EmojiFolder}, pixels: standard, batch_size: 4, prefetch: 2 {"}"}
            optimizer: {"{"} learning_rate: 0.002, warmup_steps: 3 {"}"}
            ema: {"{"} decay: 0.9 {"}"}
            loss: {"{"} level_weights: "1:1" {"}"}
            checkpoint: {"{"} every: {checkpointEvery.ToString(CultureInfo.InvariantCulture)}, keep: {keep.ToString(CultureInfo.InvariantCulture)} {"}"}
            stages:
              - {"{"} levels: 1, steps: {stageSteps.ToString(CultureInfo.InvariantCulture)} {"}"}
              - {"{"} levels: 2, steps: {stageSteps.ToString(CultureInfo.InvariantCulture)} {"}"}
            """;
        string path = Path.Combine(folder, "tiny.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
