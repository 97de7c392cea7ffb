using Matryoshka.Guidance;
using Matryoshka.ImageSharp;
using Matryoshka.Models.Emoji64;
using Matryoshka.Pipelines;
using Matryoshka.Sampling;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Pipelines;

public class PretrainedPipelineTests
{
    [Fact]
    public void A_manifest_supplies_sampler_steps_thresholding_pixels_and_encoder()
    {
        using var folder = new ManifestFolder();
        using var pipeline = MatryoshkaPipeline.FromPretrained(folder.Path);

        Assert.Equal("two-level", pipeline.Name);
        Assert.IsType<DdpmSampler>(pipeline.Sampler);
        Assert.Equal(3, pipeline.DefaultSteps);
        Assert.Same(Thresholding.Dynamic, pipeline.Thresholding);
        Assert.Equal(PixelConvention.Standard, pipeline.Pixels);
        using var result = pipeline.Generate(new GenerationRequest("ab") { Seed = 1 });
        Assert.Equal(3, result.Steps);
        Assert.Equal(PixelConvention.Standard, result.Pixels);
    }

    // Every explicit call must win over the model's settings whatever the order: FromMlMdm/FromPretrained used to
    // overwrite an earlier WithThresholding.
    [Fact]
    public void Explicit_settings_win_over_the_model_whatever_the_call_order()
    {
        using var folder = new ManifestFolder();
        void Explicit(MatryoshkaPipelineBuilder b) => b.WithThresholding(Thresholding.None).WithSampler(new DdimSampler(0)).WithSteps(7).WithPixels(PixelConvention.MlMdm)
            .WithGuidance(new ClassifierFreeGuidanceOptions { Scale = 1.5 });

        var before = MatryoshkaPipeline.CreateBuilder();
        Explicit(before);
        using var explicitFirst = before.FromPretrained(folder.Path).Build();
        var after = MatryoshkaPipeline.CreateBuilder().FromPretrained(folder.Path);
        Explicit(after);
        using var explicitLast = after.Build();
        var config = Fixtures.MlMdm("two_level", "config.json");
        var mlmdm = MatryoshkaPipeline.CreateBuilder().WithThresholding(Thresholding.None);
        using var mlmdmExplicitFirst = mlmdm.FromMlMdm(config, Fixtures.MlMdm("two_level", "weights.safetensors")).Build();

        foreach (var p in new[] { explicitFirst, explicitLast })
        {
            Assert.Same(Thresholding.None, p.Thresholding);
            Assert.IsType<DdimSampler>(p.Sampler);
            Assert.Equal(7, p.DefaultSteps);
            Assert.Equal(PixelConvention.MlMdm, p.Pixels);
        }
        Assert.Same(Thresholding.None, mlmdmExplicitFirst.Thresholding);
    }

    [Fact]
    public void The_emoji_package_gives_a_ready_pipeline_whose_results_save_in_standard_pixels()
    {
        using var pipeline = Emoji64Model.LoadPipeline(b => b.WithSteps(2));
        using var result = pipeline.Generate(new GenerationRequest("a red apple") { Seed = 1 });
        Assert.Equal(PixelConvention.Standard, result.Pixels);
        Assert.Equal(new long[] { 1, 3, 64, 64 }, result.Images.shape);

        using var temp = new TempFolder();
        result.SaveAsPng(temp.File("result.png"));
        PngFiles.SaveAsPng(result.Images[0], temp.File("standard.png"), PixelConvention.Standard);
        PngFiles.SaveAsPng(result.Images[0], temp.File("mlmdm.png"), PixelConvention.MlMdm);
        Assert.Equal(File.ReadAllBytes(temp.File("standard.png")), File.ReadAllBytes(temp.File("result.png")));
        Assert.NotEqual(File.ReadAllBytes(temp.File("mlmdm.png")), File.ReadAllBytes(temp.File("result.png")));
    }

    [Fact]
    public void Several_prompts_give_one_image_each_and_match_single_prompt_runs()
    {
        using var folder = new ManifestFolder();
        using var pipeline = MatryoshkaPipeline.FromPretrained(folder.Path);
        using var both = pipeline.Generate(new GenerationRequest { Prompts = new[] { "ab", "xyz" }, Seeds = new ulong[] { 4, 5 } });
        using var second = pipeline.Generate(new GenerationRequest("xyz") { Seeds = new ulong[] { 5 } });

        Assert.Equal(2, both.Images.shape[0]);
        TensorAssert.Close(second.Images, both.Images.narrow(0, 1, 1), 1e-4, "prompt 2 alone vs in a batch of prompts");
        Assert.Throws<MatryoshkaException>(() => pipeline.Generate(new GenerationRequest { Prompts = new[] { "a", "b" }, BatchSize = 3 }));
    }
}
