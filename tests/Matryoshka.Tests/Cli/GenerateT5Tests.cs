using Matryoshka.Cli.Commands;
using Matryoshka.IO;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Matryoshka.Tests.Conditioning.T5;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Cli;

/// <summary>
/// <c>generate --t5</c> end to end on tiny stand-ins for Apple's setup: the transformers-checked tiny T5 as a Hugging
/// Face folder (its embedding table grown to T5's 32,128 ids with extra random rows, so that the shipped ml-mdm
/// <c>t5.vocab</c> tokenises the prompts), and a tiny nested UNet whose config leaves the text width to run time (as
/// ml-mdm's released configs do).
/// </summary>
public sealed class GenerateT5Tests
{
    // A 32² level around a 16² level with cross-attention; conditioning_feature_dim -1: the encoder's width (64).
    private const string ModelYaml = """
        name: tiny_t5_conditioned
        model: nested_unet
        vision_model: nested_unet
        sample_image_size: 32
        unet_config:
          attention_levels: []
          conditioning_feature_dim: -1
          conditioning_feature_proj_dim: -1
          freeze_inner_unet: false
          inner_config:
            attention_levels: [1]
            conditioning_feature_dim: -1
            conditioning_feature_proj_dim: 32
            masked_cross_attention: 0
            micro_conditioning: scale:16
            nesting: true
            num_attention_layers: [0, 1]
            num_lm_head_layers: 0
            num_resnets_per_resolution: [1, 1]
            resnet_config: {dropout: 0.0, num_channels: -1, num_groups_norm: 8, output_channels: -1, use_attention_ffn: true}
            resolution_channels: [16, 32]
            skip_cond_emb: false
            skip_mid_blocks: false
            temporal_dim: null
          masked_cross_attention: 0
          micro_conditioning: scale:32
          nesting: false
          num_attention_layers: [0, 0]
          num_lm_head_layers: 0
          num_resnets_per_resolution: [1, 1]
          resnet_config: {dropout: 0.0, num_channels: -1, num_groups_norm: 8, output_channels: -1, use_attention_ffn: false}
          resolution_channels: [16, 16]
          skip_cond_emb: true
          skip_inner_unet_input: false
          skip_mid_blocks: true
          skip_normalization: true
          temporal_dim: 64
        diffusion_config:
          sampler_config:
            num_diffusion_steps: 1000
            prediction_type: V_PREDICTION
            loss_target_type: DDPM
            schedule_type: DEEPFLOYD
            schedule_shifted: true
            schedule_shifted_power: 1
            threshold_function: CLIP
        """;

    private sealed record Setup(TempFolder Folder, string Config, string Weights, string T5) : IDisposable
    {
        public void Dispose() => Folder.Dispose();
    }

    private static Setup Create()
    {
        var folder = new TempFolder();
        File.WriteAllText(folder.File("model.yaml"), ModelYaml);
        using (var scope = NewDisposeScope())
        {
            manual_seed(11);
            using var model = new NestedUNet(ModelConfigFiles.Load(folder.File("model.yaml"), textEmbeddingDim: 64));
            // Zero-initialised adapters and heads would make every output 0: give all weights small random values.
            using (no_grad()) foreach (var p in model.parameters()) p.copy_(randn_like(p) * 0.05);
            SafetensorsWriter.Save(folder.File("weights.safetensors"), model.state_dict());
        }
        Directory.CreateDirectory(folder.File("t5"));
        var config = File.ReadAllText(T5Fixture.ConfigPath).Replace("\"vocab_size\": 128", "\"vocab_size\": 32128");
        Assert.Contains("32128", config);
        File.WriteAllText(folder.File(Path.Combine("t5", "config.json")), config);
        using (var scope = NewDisposeScope())
        {
            var weights = SafetensorsReader.Load(T5Fixture.WeightsPath);
            var extra = randn(new long[] { 32_128 - 128, 64 }, generator: new Generator(12));
            var table = cat(new[] { weights["shared.weight"], extra }, 0);
            weights["shared.weight"] = table;
            weights["encoder.embed_tokens.weight"] = table;
            SafetensorsWriter.Save(folder.File(Path.Combine("t5", "model.safetensors")), weights);
        }
        return new Setup(folder, folder.File("model.yaml"), folder.File("weights.safetensors"), folder.File("t5"));
    }

    private static GenerateCommand.Options Options(Setup setup, string output, params string[] prompts) =>
        new(setup.Config, setup.Weights, "", output, Steps: 3, Prompts: prompts, T5: setup.T5);

    private static (int Code, string Stdout, string Stderr) Run(GenerateCommand.Options options) => GenerateCommandTests.Run(options);

    [Fact]
    public void Generates_deterministically_per_seed_with_apples_demo_seed_by_default()
    {
        using var setup = Create();
        var (code, stdout, stderr) = Run(Options(setup, setup.Folder.File("a.png"), "a red apple"));
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("seed 137", stdout);
        Assert.Equal(0, Run(Options(setup, setup.Folder.File("b.png"), "a red apple") with { Seed = 137 }).Code);
        Assert.Equal(File.ReadAllBytes(setup.Folder.File("a.png")), File.ReadAllBytes(setup.Folder.File("b.png")));
        Assert.Equal(0, Run(Options(setup, setup.Folder.File("c.png"), "a red apple") with { Seed = 138 }).Code);
        Assert.NotEqual(File.ReadAllBytes(setup.Folder.File("a.png")), File.ReadAllBytes(setup.Folder.File("c.png")));
        // The prompt reaches the model: another prompt, same seed, another image.
        Assert.Equal(0, Run(Options(setup, setup.Folder.File("d.png"), "a cat sleeping on a sofa") with { Seed = 137 }).Code);
        Assert.NotEqual(File.ReadAllBytes(setup.Folder.File("a.png")), File.ReadAllBytes(setup.Folder.File("d.png")));
    }

    [Fact]
    public void T5_options_without_a_model_or_with_bad_values_are_refused()
    {
        using var setup = Create();
        var png = setup.Folder.File("x.png");
        Assert.Equal(2, Run(Options(setup, png, "ab") with { Config = null, Weights = null }).Code);       // the embedded model reads MiniLM
        Assert.Equal(2, Run(Options(setup, png, "ab") with { T5 = null, Vocabulary = Fixtures.Tokenizer("ties.vocab") }).Code); // --vocab without --t5
        Assert.Equal(2, Run(Options(setup, png, "ab") with { T5DType = "int8" }).Code);
        Assert.Equal(2, Run(Options(setup, png, "ab") with { Threshold = "soft" }).Code);
        Assert.Equal(2, Run(Options(setup, png, "ab") with { T5 = setup.Folder.File("missing") }).Code);
        Assert.Equal(2, Run(Options(setup, png, "ab") with { Vocabulary = setup.Folder.File("missing.vocab") }).Code);
        Assert.Equal(2, Run(Options(setup, png, "ab") with { Conditioning = Fixtures.MlMdm("two_level", "sample_ddim.safetensors"), Prompts = null }).Code);
        Assert.False(File.Exists(png));
    }
}
