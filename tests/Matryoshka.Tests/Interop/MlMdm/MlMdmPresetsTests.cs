using Matryoshka.Interop.MlMdm.Presets;
using Matryoshka.Pipelines;
using Matryoshka.Sampling;
using Matryoshka.Tests.Pipelines;
using Matryoshka.Tests.Support;
using Xunit;

namespace Matryoshka.Tests.Interop.MlMdm;

/// <summary>ml-mdm's web-demo settings as a library preset, and the manifest fields that say the same.</summary>
public class MlMdmPresetsTests
{
    [Fact]
    public void The_web_demo_preset_holds_ml_mdms_demo_settings()
    {
        var demo = MlMdmPresets.WebDemo;

        Assert.Equal(("ddim", 50, 7.5, 137UL), (demo.Sampler, demo.Steps, demo.Guidance, demo.Seed));
        Assert.Same(Thresholding.DeepFloyd, demo.Thresholding);
        Assert.Equal((ThresholdingKind.Dynamic, 0.95, 1.5), (demo.Thresholding.Kind, demo.Thresholding.Quantile, demo.Thresholding.MaxValue));
    }

    [Fact]
    public void Configure_sets_the_same_pipeline_as_the_documented_manifest_fields()
    {
        using var folder = new ManifestFolder(m =>
        {
            m["sampler"] = "ddim";
            m["steps"] = 50;
            m["guidance"] = 7.5;
            m["thresholding"] = "dynamic_if";
        });
        using var fromManifest = MatryoshkaPipeline.FromPretrained(folder.Path);
        using var fromPreset = MlMdmPresets.WebDemo.Configure(MatryoshkaPipeline.CreateBuilder()
            .FromMlMdm(Fixtures.MlMdm("two_level", "config.json"), Fixtures.MlMdm("two_level", "weights.safetensors"))).Build();

        foreach (var pipeline in new[] { fromManifest, fromPreset })
        {
            Assert.Equal(0, Assert.IsType<DdimSampler>(pipeline.Sampler).Eta);
            Assert.Equal(50, pipeline.DefaultSteps);
            Assert.Equal(Thresholding.DeepFloyd, pipeline.Thresholding);
        }
    }

    [Fact]
    public void ApplyTo_fills_in_only_what_the_request_leaves_unset()
    {
        var demo = MlMdmPresets.WebDemo;

        var filled = demo.ApplyTo(new GenerationRequest("a red fox"));
        var kept = demo.ApplyTo(new GenerationRequest("a red fox") { Seed = 1, Steps = 20, GuidanceScale = 3 });
        var perSample = demo.ApplyTo(new GenerationRequest("a red fox") { BatchSize = 2, Seeds = [4, 5] });

        Assert.Equal((137UL, 50, 7.5), (filled.Seed, filled.Steps, filled.GuidanceScale));
        Assert.Equal("a red fox", filled.Prompt);
        Assert.Equal((1UL, 20, 3.0), (kept.Seed, kept.Steps, kept.GuidanceScale));
        Assert.Null(perSample.Seed);
        Assert.Equal([4UL, 5UL], perSample.Seeds);
    }
}
