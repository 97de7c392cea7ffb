using Matryoshka.IO;

namespace Matryoshka.Pipelines.Pretrained;

/// <summary>
/// Compares a manifest's text-encoder width with the width the weights were trained on, before the model is built,
/// so that a mismatch names both numbers instead of surfacing as a list of unexpected keys.
/// </summary>
internal static class TextWidthCheck
{
    // ml-mdm's text path in each text-conditioned level: `lm_proj` (nn.Linear: [proj, width]) when the config sets a
    // projection width, otherwise `cond_emb` takes the text width directly.
    private static readonly string[] TextInputs = { "lm_proj.weight", "cond_emb.weight" };

    /// <exception cref="MatryoshkaException">The weights' text path expects another width.</exception>
    public static void Verify(ModelManifest manifest)
    {
        if (manifest.TextEncoder is not { } encoder || !manifest.WeightsPath.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return;
        var header = SafetensorsReader.ReadHeader(manifest.WeightsPath);
        var byPrefix = header.Tensors.Where(t => t.Shape.Count == 2)
            .Select(t => (Tensor: t, Input: TextInputs.FirstOrDefault(suffix => t.Name == suffix || t.Name.EndsWith("." + suffix, StringComparison.Ordinal))))
            .Where(x => x.Input is not null)
            .GroupBy(x => x.Tensor.Name[..^x.Input!.Length]);
        foreach (var level in byPrefix)
        {
            // lm_proj, where present, is the level's text input; cond_emb then takes the projected width.
            var input = level.OrderBy(x => Array.IndexOf(TextInputs, x.Input)).First().Tensor;
            if (input.Shape[1] != encoder.Width)
                throw new ModelManifestException(System.IO.Path.Combine(manifest.Folder, ModelManifest.FileName),
                    $"text_encoder.width is {encoder.Width}, but the weights ({System.IO.Path.GetFileName(manifest.WeightsPath)}) were trained on width {input.Shape[1]} ({input.Name} is [{string.Join(", ", input.Shape)}]).");
        }
    }
}
