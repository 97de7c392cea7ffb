using Matryoshka.Cli.Commands;
using Matryoshka.IO.Weights;
using Matryoshka.IO;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Matryoshka.Training;
using Matryoshka.Training.Checkpoints;
using Matryoshka.Training.Runs;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

/// <summary>
/// Freezing only the innermost levels of a grown three-level model (freeze_levels), the levels between them trained
/// at a lower rate: what emoji-256's run does with the shipped 16² and 64² levels, on a tiny 64 → 32 → 16 model.
/// </summary>
public class PartialFreezeTests
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");

    private static string Level(string indent, int scale, string channels, bool innermost, string inner = "") => $"""
        {indent}attention_levels: []
        {indent}conditioning_feature_dim: -1
        {indent}conditioning_feature_proj_dim: -1
        {indent}masked_cross_attention: 0
        {indent}micro_conditioning: scale:{scale}
        {indent}nesting: {(scale == 64 ? "false" : "true")}
        {indent}num_attention_layers: [0, 0]
        {indent}num_lm_head_layers: 0
        {indent}num_resnets_per_resolution: [1, 1]
        {indent}resnet_config: {"{"}dropout: 0.0, num_channels: -1, num_groups_norm: 8, output_channels: -1, use_attention_ffn: false{"}"}
        {indent}resolution_channels: [{channels}]
        {indent}skip_cond_emb: {(innermost ? "false" : "true")}
        {indent}skip_mid_blocks: {(innermost ? "false" : "true")}
        {indent}temporal_dim: {(innermost ? "null" : "128")}
        {(innermost ? "" : indent + "skip_normalization: true\n" + indent + "skip_inner_unet_input: false\n" + indent + "inner_config:\n" + inner)}
        """;

    // 64² (16, 32 channels) around 32² (16, 32) around 16² (32, 64), unconditional.
    private static string ThreeLevelModel(string folder)
    {
        string yaml = "name: tiny_three_level\nmodel: nested2_unet\nsample_image_size: 64\nunet_config:\n"
            + Level("  ", 64, "16, 32", false, Level("    ", 32, "16, 32", false, Level("      ", 16, "32, 64", true)));
        string path = Path.Combine(folder, "three.model.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Freezing_the_innermost_level_stops_exactly_its_gradients()
    {
        using var temp = new TempFolder();
        using var model = new NestedUNet(ModelConfigFiles.Load(ThreeLevelModel(temp.Path)));
        ModelGrowth.FreezeInnermost(model, 1);
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.requires_grad != name.StartsWith("inner_unet.inner_unet.", StringComparison.Ordinal), name);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelGrowth.FreezeInnermost(model, 3));
    }

    [Fact]
    public void A_run_grown_from_two_levels_with_the_innermost_frozen_resumes_bit_exactly_from_compact_checkpoints()
    {
        using var scope = NewDisposeScope();
        using var temp = new TempFolder();
        string model = ThreeLevelModel(temp.Path);
        using (var small = new NestedUNet(ModelStages.Innermost(ModelConfigFiles.Load(model), 2)))
        {
            using var generator = new Generator(11);
            using (no_grad()) foreach (var p in small.parameters()) p.normal_(0, 0.05, generator);
            ModelWeights.Save(small, temp.File("small.safetensors"));
        }
        File.WriteAllText(temp.File("train.yaml"), $$"""
            model: {{model}}
            init_weights: small.safetensors
            seed: 4
            data: { kind: image-folder, path: {{Path.Combine(Samples, "emoji-mini")}}, batch_size: 2 }
            optimizer: { learning_rate: 0.002, warmup_steps: 2 }
            ema: { decay: 0.9, warmup: true, warmup_inner: false }
            checkpoint: { every: 4, keep: 2, omit_frozen: true }
            stages:
              - { levels: 3, steps: 9, freeze_levels: 1, inner_learning_rate_scale: 0.1 }
            """);
        int Train(string folder, bool resume = false, long? maxSteps = null) =>
            TrainCommand.Run(temp.File("train.yaml"), temp.File(folder), resume, maxSteps, null, true, new StringWriter(), new StringWriter(), CancellationToken.None);

        Assert.Equal(0, Train("straight"));
        Assert.Equal(0, Train("interrupted", maxSteps: 6));
        Assert.Equal(0, Train("interrupted", resume: true));

        string Newest(string folder) => new TrainingCheckpointStore(temp.File(folder + "/checkpoints")).List()[^1];
        Assert.Equal(File.ReadAllBytes(Path.ChangeExtension(Newest("straight"), ".safetensors")), File.ReadAllBytes(Path.ChangeExtension(Newest("interrupted"), ".safetensors")));
        Assert.Equal(File.ReadAllBytes(temp.File("straight/ema.safetensors")), File.ReadAllBytes(temp.File("interrupted/ema.safetensors")));

        // The frozen 16² level is left out; the 32² level, trained at a tenth of the rate, is stored and has moved.
        var stored = SafetensorsReader.ReadHeader(Path.ChangeExtension(Newest("straight"), ".safetensors")).Tensors.Select(t => t.Name).ToList();
        Assert.DoesNotContain(stored, name => name.Contains("inner_unet.inner_unet.", StringComparison.Ordinal));
        Assert.Contains("adam.m.inner_unet.conv_in.weight", stored);
        var small2 = SafetensorsReader.Load(temp.File("small.safetensors"));
        var ema = SafetensorsReader.Load(temp.File("straight/ema.safetensors"));
        Assert.True(ema["inner_unet.inner_unet.conv_in.weight"].Identical(small2["inner_unet.conv_in.weight"]));
        using var checkpoint = TrainingCheckpointStore.Load(Newest("straight"));
        Assert.False(checkpoint.Tensors["model.inner_unet.conv_in.weight"].Identical(small2["conv_in.weight"]));
    }
}
