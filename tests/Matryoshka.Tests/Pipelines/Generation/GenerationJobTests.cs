using Matryoshka.Conditioning;
using Matryoshka.IO.Weights;
using Matryoshka.Interop.MlMdm.Presets;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Matryoshka.Pipelines.Generation;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Pipelines.Generation;

/// <summary><see cref="GenerationJob"/>, called directly: model folders, ml-mdm models, conditioning files and class labels.</summary>
public class GenerationJobTests
{
    private static string TwoLevel(string file) => Fixtures.MlMdm("two_level", file);

    [Fact]
    public void A_model_folder_draws_one_image_per_prompt_with_its_manifest_settings()
    {
        using var folder = new ManifestFolder();
        using var job = GenerationJob.Prepare(new GenerationJobOptions
        {
            Model = GenerationModel.FromFolder(folder.Path),
            Input = GenerationInput.FromPrompts(new[] { "ab", "cd" }),
            Seed = 1,
        });
        Assert.Equal(2, job.ImageCount);
        Assert.Null(job.Request.Steps); // the manifest's

        using var result = job.Run();
        Assert.Equal(3, result.Steps);
        Assert.Equal(1UL, result.Seed);
        Assert.Equal(new long[] { 2, 3, 32, 32 }, result.Images.shape);
    }

    [Fact]
    public void An_ml_mdm_model_draws_from_a_conditioning_file_reproducibly_per_seed()
    {
        var options = new GenerationJobOptions
        {
            Model = GenerationModel.FromMlMdm(TwoLevel("config.json"), TwoLevel("weights.safetensors")),
            Input = GenerationInput.FromConditioningFile(TwoLevel("sample_ddim.safetensors")),
            Steps = 3,
            Seed = 5,
            Guidance = 3,
        };
        using var job = GenerationJob.Prepare(options);
        Assert.Equal(job.Request.Conditioning!.Embeddings.shape[0], job.ImageCount);
        Assert.NotNull(job.Request.NegativeConditioning); // the file's _uncond pair
        Assert.Equal(3, job.Request.Steps);

        using var first = job.Run();
        using var again = job.Run();
        Assert.Equal(3, first.Steps);
        Assert.True(first.Images.eq(again.Images).all().item<bool>());
    }

    [Fact]
    public void A_preset_fills_what_the_options_leave_unset()
    {
        var options = new GenerationJobOptions
        {
            Model = GenerationModel.FromMlMdm(TwoLevel("config.json"), TwoLevel("weights.safetensors")),
            Input = GenerationInput.FromConditioningFile(TwoLevel("sample_ddim.safetensors")),
            Preset = MlMdmPresets.WebDemo,
        };
        using (var job = GenerationJob.Prepare(options))
            Assert.Equal((137UL, 50, 7.5), (job.Request.Seed, job.Request.Steps, job.Request.GuidanceScale));
        using (var job = GenerationJob.Prepare(options with { Steps = 2, Seed = 9, Guidance = 1 }))
            Assert.Equal((9UL, 2, 1.0), (job.Request.Seed, job.Request.Steps, job.Request.GuidanceScale));
    }

    [Fact]
    public void Prompts_for_an_ml_mdm_model_go_through_the_callers_encoder_which_is_disposed_before_the_model_loads()
    {
        var encoder = new DisposableEncoder();
        int created = 0;
        using var job = GenerationJob.Prepare(new GenerationJobOptions
        {
            Model = GenerationModel.FromMlMdm(TwoLevel("config.json"), TwoLevel("weights.safetensors")),
            Input = GenerationInput.FromPrompts(new[] { "abc" }, negativePrompt: "x"),
            PromptEncoder = () => { created++; return encoder; },
            Steps = 2,
            Seed = 3,
        });
        Assert.Equal((1, true), (created, encoder.Disposed));
        Assert.Equal(new long[] { 1, 4, 48 }, job.Request.Conditioning!.Embeddings.shape); // 3 characters and the end token
        Assert.Equal(new long[] { 1, 2, 48 }, job.Request.NegativeConditioning!.Embeddings.shape);
        Assert.Equal(2, job.Request.Steps);
        using var result = job.Run();
        Assert.Equal(new long[] { 1, 3, 32, 32 }, result.Images.shape);

        var missing = Assert.Throws<GenerationJobException>(() => GenerationJob.Prepare(new GenerationJobOptions
        {
            Model = GenerationModel.FromMlMdm(TwoLevel("config.json"), TwoLevel("weights.safetensors")),
            Input = GenerationInput.FromPrompts(new[] { "abc" }),
        }));
        Assert.Contains("PromptEncoder", missing.Message);
    }

    [Fact]
    public void Class_labels_are_rows_of_the_class_table_and_out_of_range_labels_are_refused()
    {
        using var temp = new TempFolder();
        string config = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "fashion-mnist.model.yaml");
        using (var scope = NewDisposeScope())
        {
            using var model = new NestedUNet(ModelConfigFiles.Load(config));
            ModelWeights.Save(model, temp.File("weights.safetensors"));
        }
        var options = new GenerationJobOptions
        {
            Model = GenerationModel.FromMlMdm(config, temp.File("weights.safetensors")),
            Input = GenerationInput.FromClassLabels(new long[] { 0, 9 }),
            Guidance = 2,
        };
        using (var job = GenerationJob.Prepare(options))
        {
            Assert.Equal(2, job.ImageCount);
            Assert.Equal(new long[] { 2, 1 }, job.Request.Conditioning!.Mask.shape);
            Assert.Equal(new long[] { 1, 1 }, job.Request.NegativeConditioning!.Mask.shape); // the "no class" row
        }
        var refused = Assert.Throws<GenerationJobException>(() => GenerationJob.Prepare(options with { Input = GenerationInput.FromClassLabels(new long[] { 10 }) }));
        Assert.Contains("class label 10", refused.Message);
    }

    [Fact]
    public void Inputs_that_do_not_fit_are_refused_before_the_model_loads()
    {
        var model = GenerationModel.FromMlMdm(TwoLevel("config.json"), TwoLevel("weights.safetensors"));
        // forward.safetensors has lm_outputs but no unconditional pair, which guidance needs.
        var unconditional = Assert.Throws<GenerationJobException>(() => GenerationJob.Prepare(new GenerationJobOptions
        {
            Model = model, Input = GenerationInput.FromConditioningFile(TwoLevel("forward.safetensors")), Guidance = 3,
        }));
        Assert.Contains("unconditional", unconditional.Message);
        using var folder = new ManifestFolder();
        Assert.Throws<GenerationJobException>(() => GenerationJob.Prepare(new GenerationJobOptions
        {
            Model = GenerationModel.FromFolder(folder.Path), Input = GenerationInput.FromPrompts(new[] { "ab", " " }),
        }));
        var batch = Assert.Throws<GenerationJobException>(() => GenerationJob.Prepare(new GenerationJobOptions
        {
            Model = GenerationModel.FromFolder(folder.Path), Input = GenerationInput.FromPrompts(new[] { "ab", "cd" }), BatchSize = 3,
        }));
        Assert.Contains("one image each", batch.Message);
    }

    private sealed class DisposableEncoder : ITextEncoder, IDisposable
    {
        private readonly CharacterEncoder _inner = new();

        public bool Disposed { get; private set; }

        public int EmbeddingDim => _inner.EmbeddingDim;

        public TextConditioning Encode(IReadOnlyList<string> prompts, Device device) =>
            Disposed ? throw new ObjectDisposedException(nameof(DisposableEncoder)) : _inner.Encode(prompts, device);

        public void Dispose() => Disposed = true;
    }
}
