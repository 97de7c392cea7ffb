using Matryoshka.Conditioning;
using Matryoshka.Guidance;
using Matryoshka.IO;
using Matryoshka.Pipelines;
using Matryoshka.Sampling;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Pipelines;

public class PipelineTests
{
    private static MatryoshkaPipeline TwoLevel(ISampler? sampler = null, ITextEncoder? encoder = null)
    {
        var builder = MatryoshkaPipeline.CreateBuilder()
            .FromMlMdm(Fixtures.MlMdm("two_level", "config.json"), Fixtures.MlMdm("two_level", "weights.safetensors"))
            .WithSampler(sampler ?? new DdpmSampler())
            .WithGuidance(new ClassifierFreeGuidanceOptions { Scale = 3 })
            .WithSteps(5);
        if (encoder is not null) builder.WithTextEncoder(encoder);
        return builder.Build();
    }

    private static (TextConditioning Cond, TextConditioning Uncond) Text()
    {
        var g = new Generator(31);
        return (new TextConditioning(randn(new long[] { 1, 5, 48 }, generator: g).DetachFromDisposeScope(), ones(1, 5).DetachFromDisposeScope()),
                new TextConditioning(randn(new long[] { 1, 2, 48 }, generator: g).DetachFromDisposeScope(), ones(1, 2).DetachFromDisposeScope()));
    }

    [Fact]
    public void Pipeline_reproduces_ml_mdm_guided_ddpm_sampling()
    {
        using var pipeline = TwoLevel();
        using var scope = NewDisposeScope();
        var bundle = SamplingBundle.Load(Fixtures.MlMdm("two_level", "sample_ddpm.safetensors"));
        using var result = pipeline.Generate(new GenerationRequest
        {
            Conditioning = new TextConditioning(bundle.ConditionalText, bundle.ConditionalMask),
            NegativeConditioning = new TextConditioning(bundle.UnconditionalText!, bundle.UnconditionalMask!),
            BatchSize = 2,
            Noise = new RecordedNoiseSource(bundle.InitialNoise, bundle.StepNoise),
        });
        Assert.Null(result.Seed);
        for (int l = 0; l < 2; l++) TensorAssert.Close(bundle.ExpectedFinal[l], result.Levels[l], 1e-5, $"final.{l}");
    }

    [Fact]
    public async Task Same_seed_same_images_and_concurrent_generations_match_sequential_ones()
    {
        using var pipeline = TwoLevel();
        var (cond, uncond) = Text();
        GenerationRequest Request(ulong seed) => new() { Conditioning = cond, NegativeConditioning = uncond, Seed = seed, BatchSize = 2 };
        using var a = await pipeline.GenerateAsync(Request(1));
        using var b = await pipeline.GenerateAsync(Request(2));
        var together = await Task.WhenAll(pipeline.GenerateAsync(Request(1)), pipeline.GenerateAsync(Request(2)));
        try
        {
            TensorAssert.Close(a.Images, together[0].Images, 0, "seed 1, concurrent vs sequential");
            TensorAssert.Close(b.Images, together[1].Images, 0, "seed 2, concurrent vs sequential");
            Assert.Equal(1UL, a.Seed);
            Assert.True((a.Images - b.Images).abs().max().item<float>() > 0.1f, "different seeds must differ");
        }
        finally
        {
            foreach (var r in together) r.Dispose();
        }
    }

    [Fact]
    public void Per_sample_seeds_make_each_image_depend_only_on_its_own_seed()
    {
        using var pipeline = TwoLevel(new DdpmSampler());
        var (cond, uncond) = Text();
        using var pair = pipeline.Generate(new GenerationRequest { Conditioning = cond, NegativeConditioning = uncond, BatchSize = 2, Seeds = new ulong[] { 5, 9 }, Steps = 3 });
        using var nine = pipeline.Generate(new GenerationRequest { Conditioning = cond, NegativeConditioning = uncond, Seeds = new ulong[] { 9 }, Steps = 3 });
        TensorAssert.Close(nine.Images, pair.Images.narrow(0, 1, 1), 1e-4, "image of seed 9, alone vs in a batch");
        Assert.Throws<MatryoshkaException>(() => pipeline.Generate(new GenerationRequest { Conditioning = cond, NegativeConditioning = uncond, BatchSize = 2, Seeds = new ulong[] { 1 } }));
    }

    [Fact]
    public async Task Streaming_yields_one_preview_per_step_with_every_level()
    {
        using var pipeline = TwoLevel();
        var (cond, uncond) = Text();
        var steps = new List<int>();
        await foreach (var preview in pipeline.StreamAsync(new GenerationRequest { Conditioning = cond, NegativeConditioning = uncond, Seed = 3, Steps = 4 }))
        {
            using (preview)
            {
                steps.Add(preview.Step);
                Assert.Equal(4, preview.Total);
                Assert.Equal(new long[] { 1, 3, 32, 32 }, preview.Estimates[0].shape);
                Assert.Equal(new long[] { 1, 3, 16, 16 }, preview.Estimates[1].shape);
            }
        }
        Assert.Equal(new[] { 1, 2, 3, 4 }, steps);
    }

    [Fact]
    public async Task Cancellation_stops_the_generation_and_the_pipeline_stays_usable()
    {
        using var pipeline = TwoLevel(new DdimSampler());
        var (cond, uncond) = Text();
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => { if (p.Step == 2) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            pipeline.GenerateAsync(new GenerationRequest { Conditioning = cond, NegativeConditioning = uncond, Steps = 20, Seed = 1 }, progress, cts.Token));
        using var after = await pipeline.GenerateAsync(new GenerationRequest { Conditioning = cond, NegativeConditioning = uncond, Steps = 2, Seed = 1 });
        Assert.Equal(2, after.Steps);
    }

    [Fact]
    public void Prompts_go_through_the_text_encoder_and_guidance_one_needs_no_negative()
    {
        using var pipeline = TwoLevel(new DdimSampler(), new CharacterEncoder());
        using var guided = pipeline.Generate(new GenerationRequest("a red apple") { Seed = 4, Steps = 3 });
        using var unguided = pipeline.Generate(new GenerationRequest("a red apple") { Seed = 4, Steps = 3, GuidanceScale = 1 });
        Assert.True((guided.Images - unguided.Images).abs().max().item<float>() > 1e-4f);
        Assert.Throws<MatryoshkaException>(() => MatryoshkaPipeline.CreateBuilder()
            .FromMlMdm(Fixtures.MlMdm("two_level", "config.json"), Fixtures.MlMdm("two_level", "weights.safetensors"))
            .WithTextEncoder(new CharacterEncoder { EmbeddingDim = 32 }).Build());
    }

    [Fact]
    public void Invalid_requests_get_clear_errors()
    {
        using var pipeline = TwoLevel();
        var (cond, uncond) = Text();
        Assert.Throws<MatryoshkaException>(() => pipeline.Generate(new GenerationRequest { Conditioning = cond, NegativeConditioning = uncond, BatchSize = 0 }));
        Assert.Throws<MatryoshkaException>(() => pipeline.Generate(new GenerationRequest { Conditioning = cond, NegativeConditioning = uncond, Steps = 0 }));
        Assert.Throws<MatryoshkaException>(() => pipeline.Generate(new GenerationRequest("no encoder")));
        Assert.Throws<MatryoshkaException>(() => pipeline.Generate(new GenerationRequest
        {
            Conditioning = new TextConditioning(zeros(1, 5, 40), ones(1, 5)), NegativeConditioning = uncond,
        }));
        Assert.Throws<MatryoshkaException>(() => MatryoshkaPipeline.CreateBuilder().Build());
    }

    /// <summary>A guidance method of the test's own: the conditional prediction, halved; no unconditional branch.</summary>
    private sealed class HalfGuidance : IGuidance
    {
        public bool NeedsUnconditional => false;

        public Denoiser Guide(Matryoshka.Models.NestedUNet model, TextConditioning conditional, TextConditioning? unconditional, int trainSteps) =>
            (noisy, t) => model.Forward(noisy, t, conditional.Embeddings, conditional.Mask).Select(p => p * 0.5).ToArray();
    }

    [Fact]
    public void Custom_guidance_plugs_in_through_IGuidance()
    {
        var builder = MatryoshkaPipeline.CreateBuilder()
            .FromMlMdm(Fixtures.MlMdm("two_level", "config.json"), Fixtures.MlMdm("two_level", "weights.safetensors"))
            .WithGuidance(new HalfGuidance()).WithSteps(2);
        using var pipeline = builder.Build();
        var (cond, _) = Text();
        using var result = pipeline.Generate(new GenerationRequest { Conditioning = cond, Seed = 1 });
        Assert.Equal(2, result.Steps);
        Assert.Throws<MatryoshkaException>(() => pipeline.Generate(new GenerationRequest { Conditioning = cond, GuidanceScale = 2 }));
    }
}
