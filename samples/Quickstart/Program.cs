// Quickstart: build a small two-level Matryoshka model with the fluent builder, wrap it in a pipeline and
// generate. The model is untrained (random weights), so the images are noise-like; with trained weights
// (ModelWeights.Load, or the builder's FromMlMdm) the same code produces real images.
using Matryoshka.Conditioning;
using Matryoshka.Guidance;
using Matryoshka.ImageSharp;
using Matryoshka.Models;
using Matryoshka.Pipelines;
using Matryoshka.Sampling;
using static TorchSharp.torch;

var config = NestedUNetBuilder.Create()
    .AddStage(16, s => s.Channels(32, 64).Attention(1).TextProjection(64).MicroConditioning())
    .AddStage(64, s => s.Channels(32, 32, 32).ResNets(1).MicroConditioning())
    .WithTextEmbeddingDim(64)
    .Build();
using var model = new NestedUNet(config);

using var pipeline = MatryoshkaPipeline.CreateBuilder()
    .WithModel(model)
    .WithSampler(new DpmSolverPlusPlusSampler())
    .WithGuidance(new ClassifierFreeGuidanceOptions { Scale = 5 })
    .WithSteps(20)
    .Build();

// Stand-ins for a text encoder's output: [1, tokens, width] embeddings and their mask.
var prompt = new TextConditioning(randn(new long[] { 1, 8, 64 }, generator: new Generator(1)), ones(1, 8));
var empty = new TextConditioning(zeros(1, 1, 64), ones(1, 1));

var progress = new Progress<GenerationProgress>(p => Console.WriteLine($"step {p.Step}/{p.Total}"));
using var result = await pipeline.GenerateAsync(new GenerationRequest { Conditioning = prompt, NegativeConditioning = empty, Seed = 137 }, progress);

string output = args.Length > 0 ? args[0] : "quickstart.png";
using var grid = LevelGrid.Compose(result.Levels);
PngFiles.SaveAsPng(grid, output);
Console.WriteLine($"wrote {output}: every level side by side ({string.Join(" → ", pipeline.Model.Resolutions)}), seed {result.Seed}");
