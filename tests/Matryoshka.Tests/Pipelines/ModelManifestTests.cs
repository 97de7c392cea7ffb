using System.Text.Json.Nodes;
using Matryoshka.Interop.MlMdm;
using Matryoshka.IO;
using Matryoshka.Pipelines;
using Matryoshka.Pipelines.Pretrained;
using Matryoshka.Sampling;
using Xunit;

namespace Matryoshka.Tests.Pipelines;

public class ModelManifestTests
{
    [Fact]
    public void A_valid_manifest_is_read_with_absolute_paths_and_every_setting()
    {
        using var folder = new ManifestFolder();
        var manifest = ModelManifest.Load(folder.Path);

        Assert.Equal("two-level", manifest.Name);
        Assert.Equal(System.IO.Path.Combine(folder.Path, "config.json"), manifest.ConfigPath);
        Assert.Equal(System.IO.Path.Combine(folder.Path, "weights.safetensors"), manifest.WeightsPath);
        Assert.Equal((ManifestFolder.EncoderKind, 48, 16), (manifest.TextEncoder!.Kind, manifest.TextEncoder.Width, manifest.TextEncoder.MaxTokens));
        Assert.Equal(PixelConvention.Standard, manifest.Pixels);
        Assert.Equal(("ddpm", 3, 2.5, "dynamic"), (manifest.Sampler, manifest.Steps, manifest.Guidance, manifest.Thresholding));
    }

    [Theory]
    [InlineData("emoji-64", 64, 2)]
    [InlineData("emoji-256", 256, 3)]
    [InlineData("emoji-video", 64, 2)]
    public void The_shipped_emoji_manifests_are_valid_and_match_their_weights(string name, int resolution, int levels)
    {
        // The video demo ships in the repository only, so the tool's shipped names stay the packaged models.
        var manifest = ModelManifest.Load(System.IO.Path.Combine(AppContext.BaseDirectory, name == "emoji-video" ? "repository-models" : "models", name));
        Assert.Equal(name, manifest.Name);
        var plan = MlMdmModelConfig.FromYamlFile(manifest.ConfigPath, 384).Plan();
        Assert.Equal((resolution, levels), (plan.Resolutions[0], plan.Levels.Count));
        // Shipped at half precision, within the size the repository and the package allow.
        Assert.All(SafetensorsCheckpoint.Open(manifest.WeightsPath).Tensors.Values, t => Assert.Equal(SafetensorsDType.F16, t.DType));
        Assert.InRange(new FileInfo(manifest.WeightsPath).Length, 1, 30_000_000);

        Assert.Equal(("minilm", "Matryoshka.Text.MiniLM", 384, 32), (manifest.TextEncoder!.Kind, manifest.TextEncoder.Library, manifest.TextEncoder.Width, manifest.TextEncoder.MaxTokens));
        Assert.Equal(PixelConvention.Standard, manifest.Pixels);
        Assert.Equal(("dpm++2m", 20, 5.0), (manifest.Sampler, manifest.Steps, manifest.Guidance));
        Assert.Contains("license", manifest.Provenance.Keys);
        TextWidthCheck.Verify(manifest); // throws when the width differs from the weights' lm_proj input
    }

    [Theory]
    [InlineData("name", "name is required")]
    [InlineData("weights", "weights is required")]
    [InlineData("pixels", "pixels is required")]
    [InlineData("format_version", "format_version is required")]
    public void A_missing_field_is_named(string field, string expected)
    {
        using var folder = new ManifestFolder(m => m.Remove(field));
        var error = Assert.Throws<ModelManifestException>(() => ModelManifest.Load(folder.Path));
        Assert.Contains(expected, error.Message);
        Assert.Equal(folder.ManifestPath, error.Path);
    }

    [Theory]
    [InlineData("steps", 0, "steps: 0 is outside [1, 1000]")]
    [InlineData("sampler", "euler", "sampler: 'euler' is not one of ddim, ddpm, dpm++2m")]
    [InlineData("pixels", "srgb", "pixels: 'srgb' is not one of standard, mlmdm")]
    [InlineData("weights", "../weights.safetensors", "weights: '../weights.safetensors' leaves the model folder")]
    [InlineData("weights", "missing.safetensors", "weights: 'missing.safetensors' does not exist")]
    [InlineData("stepz", 20, "stepz: unknown field")]
    [InlineData("format_version", 2, "format_version 2 is not supported")]
    public void An_invalid_field_is_named_with_the_problem(string field, object value, string expected)
    {
        using var folder = new ManifestFolder(m => m[field] = JsonValue.Create(value));
        var error = Assert.Throws<ModelManifestException>(() => ModelManifest.Load(folder.Path));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith(folder.ManifestPath, error.Message);
    }

    [Fact]
    public void Not_json_and_no_manifest_are_clear_errors()
    {
        using var folder = new ManifestFolder();
        File.WriteAllText(folder.ManifestPath, "{ \"name\": ");
        Assert.Contains("not valid JSON", Assert.Throws<ModelManifestException>(() => ModelManifest.Load(folder.Path)).Message);
        File.Delete(folder.ManifestPath);
        Assert.Contains("is not a Matryoshka model folder", Assert.Throws<ModelManifestException>(() => ModelManifest.Load(folder.Path)).Message);
    }

    [Fact]
    public void An_encoder_width_that_differs_from_the_weights_names_both_numbers_at_build()
    {
        using var folder = new ManifestFolder(m => m["text_encoder"]!["width"] = 64);
        var error = Assert.Throws<ModelManifestException>(() => MatryoshkaPipeline.FromPretrained(folder.Path));
        Assert.Contains("text_encoder.width is 64", error.Message);
        Assert.Contains("trained on width 48", error.Message);
    }

    [Fact]
    public void An_encoder_from_a_library_the_app_does_not_reference_names_the_package_to_add()
    {
        using var folder = new ManifestFolder(m => m["text_encoder"] = new JsonObject { ["kind"] = "clip-xyz", ["library"] = "Matryoshka.Text.Clip", ["width"] = 48, ["max_tokens"] = 8 });
        var error = Assert.Throws<MatryoshkaException>(() => MatryoshkaPipeline.FromPretrained(folder.Path));
        Assert.Contains("dotnet add package Matryoshka.Text.Clip", error.Message);
    }

    [Fact]
    public void A_manifest_over_one_megabyte_is_refused_before_parsing()
    {
        using var folder = new ManifestFolder();
        File.WriteAllText(folder.ManifestPath, "{\"name\": \"" + new string('x', 1 << 20) + "\"}");
        Assert.Contains("at most 1,048,576 are read", Assert.Throws<ModelManifestException>(() => ModelManifest.Load(folder.Path)).Message);
    }

    [Fact]
    public void Thresholding_names_match_ml_mdm_threshold_functions()
    {
        Assert.Same(Thresholding.DeepFloyd, ThresholdingNames.FromName("DYNAMIC_IF"));
        Assert.Throws<ArgumentException>(() => ThresholdingNames.FromName("soft"));
    }
}
