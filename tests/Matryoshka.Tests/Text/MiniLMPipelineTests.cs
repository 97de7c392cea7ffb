using Matryoshka.Conditioning;
using Matryoshka.Guidance;
using Matryoshka.Models;
using Matryoshka.Pipelines;
using Matryoshka.Text.MiniLM;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Text;

public class MiniLMPipelineTests
{
    [Fact]
    public void A_pipeline_with_the_minilm_encoder_generates_from_prompts()
    {
        var config = NestedUNetBuilder.Create()
            .AddStage(8, s => s.Channels(32, 32).ResNets(1).Attention(1).TextProjection(32).ResNet(groups: 8))
            .AddStage(16, s => s.Channels(16, 16).ResNets(1).ResNet(groups: 8))
            .WithTextEmbeddingDim(MiniLMTextEncoder.HiddenSize)
            .Build();
        using var model = new NestedUNet(config);
        // A fresh model's zero-initialised layers (output head, adapters) hide the text; small random values there
        // let the prompt show in the images.
        using (no_grad())
        {
            var generator = new Generator(3);
            foreach (var parameter in model.parameters())
            {
                if (parameter.count_nonzero().item<long>() == 0) parameter.copy_(randn(parameter.shape, generator: generator) * 0.02);
            }
        }
        using var encoder = new MiniLMTextEncoder(new MiniLMTextEncoderOptions { MaxTokens = 32 });
        using var pipeline = MatryoshkaPipeline.CreateBuilder()
            .WithModel(model)
            .WithTextEncoder(encoder)
            .WithGuidance(new ClassifierFreeGuidanceOptions { Scale = 3 })
            .WithSteps(2)
            .Build();

        using var apple = pipeline.Generate(new GenerationRequest("a red apple") { Seed = 5 });
        using var truck = pipeline.Generate(new GenerationRequest("a pickup truck") { Seed = 5 });
        Assert.Equal(new long[] { 1, 3, 16, 16 }, apple.Images.shape);
        Assert.True(apple.Images.isfinite().all().item<bool>());
        // The prompt reaches the model: same seed, different prompt, different image. Both prompts and the empty
        // negative prompt were encoded once each.
        Assert.False(apple.Images.eq(truck.Images).all().item<bool>());
        Assert.Equal(3, encoder.SequencesRun);
    }

    [Fact]
    public void The_encoder_registers_as_the_containers_text_encoder()
    {
        var services = new ServiceCollection();
        services.AddMiniLMTextEncoder(new MiniLMTextEncoderOptions { MaxTokens = 64 });
        MiniLMTextEncoder encoder;
        using (var provider = services.BuildServiceProvider())
        {
            var textEncoder = provider.GetRequiredService<ITextEncoder>();
            encoder = Assert.IsType<MiniLMTextEncoder>(textEncoder);
            Assert.Equal(64, encoder.Options.MaxTokens);
            Assert.Equal(384, textEncoder.EmbeddingDim);
        }
        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(new[] { "x" }, CPU));   // the container disposed it
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection()
            .AddMiniLMTextEncoder(new MiniLMTextEncoderOptions { CacheCapacity = -1 }));
    }
}
