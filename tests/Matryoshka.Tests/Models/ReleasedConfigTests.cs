using System.Diagnostics;
using System.Text.Json;
using Matryoshka.IO.Configuration;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Models;

/// <summary>
/// ml-mdm's three released model configs, read from their YAML and built on the meta device, against the parameter
/// counts and state_dict listings that ml-mdm's own code produced for them (text width 2048, as its scripts set it).
/// </summary>
public class ReleasedConfigTests
{
    private const int FlanT5XlWidth = 2048;

    public static TheoryData<string, long, int, long[]> Released => new()
    {
        { "cc12m_64x64", 461_359_107, 713, [461_359_107] },
        { "cc12m_256x256", 476_613_958, 889, [15_254_851, 461_359_107] },
        { "cc12m_1024x1024", 480_970_057, 1063, [4_356_099, 15_254_851, 461_359_107] },
    };

    public static TheoryData<string> Names => new() { "cc12m_64x64", "cc12m_256x256", "cc12m_1024x1024" };

    private static ModelConfig Read(string name, int? textDim = FlanT5XlWidth) =>
        MlMdmModelConfig.FromYamlFile(Fixtures.MlMdm("released", name + ".yaml"), textDim);

    [Theory, MemberData(nameof(Released))]
    public void Parameter_and_tensor_counts_equal_ml_mdm(string name, long parameters, int tensors, long[] perLevel)
    {
        var summary = ModelSummary.Of(Read(name));

        Assert.Equal(parameters, summary.TotalParameters);
        Assert.Equal(tensors, summary.Tensors.Count);
        Assert.Equal(perLevel, summary.Levels.Select(l => l.Parameters).ToArray());
        Assert.Equal(tensors, summary.Levels.Sum(l => l.Tensors));
        Assert.Equal(4 * parameters, summary.WeightBytes(ScalarType.Float32));
        Assert.Equal(2 * parameters, summary.WeightBytes(ScalarType.BFloat16));
    }

    [Theory, MemberData(nameof(Names))]
    public void Counts_and_resolutions_equal_param_counts_json(string name)
    {
        var expected = JsonDocument.Parse(File.ReadAllText(Fixtures.MlMdm("released", "param_counts.json")))
            .RootElement.GetProperty("models").GetProperty(name);

        var summary = ModelSummary.Of(Read(name));

        Assert.Equal(expected.GetProperty("num_parameters").GetInt64(), summary.TotalParameters);
        Assert.Equal(expected.GetProperty("num_state_dict_tensors").GetInt32(), summary.Tensors.Count);
        Assert.Equal(expected.GetProperty("fp32_bytes").GetInt64(), summary.WeightBytes(ScalarType.Float32));
        Assert.Equal(expected.GetProperty("level_resolutions").EnumerateArray().Select(e => e.GetInt32()), summary.Plan.Resolutions);
        Assert.Equal(expected.GetProperty("parameters_per_level_excluding_inner").EnumerateArray().Select(e => e.GetInt64()),
            summary.Levels.Select(l => l.Parameters));
    }

    [Theory, MemberData(nameof(Names))]
    public void State_dict_keys_shapes_and_order_equal_ml_mdm(string name)
    {
        var expected = File.ReadAllLines(Fixtures.MlMdm("released", name + ".keys.txt")).Where(l => l.Length > 0).ToArray();

        var actual = ModelSummary.Of(Read(name)).Tensors.Select(t => t.ToString()).ToArray();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_largest_model_is_built_on_the_meta_device_without_allocating_its_weights()
    {
        var config = Read("cc12m_1024x1024");
        using var process = Process.GetCurrentProcess();
        long before = process.WorkingSet64;

        using var model = new NestedUNet(config, new Device(DeviceType.META));
        var parameters = model.parameters().ToArray();
        process.Refresh();
        long grown = process.WorkingSet64 - before;

        Assert.Equal(480_970_057, parameters.Sum(p => p.numel()));
        Assert.All(parameters, p => Assert.Equal(DeviceType.META, p.device_type));
        // 1.9 GB as float32 if it were allocated; the meta model needs a few MB (the bound leaves room for parallel tests).
        Assert.True(grown < 1L << 30, $"working set grew by {grown >> 20} MiB");
    }

    [Fact]
    public void Levels_resolve_as_ml_mdm_builds_them()
    {
        var plan = Read("cc12m_1024x1024").Plan();

        Assert.Equal(new[] { 1024, 256, 64 }, plan.Resolutions);
        Assert.Equal(new[] { 16, 4, 1 }, plan.Levels.Select(l => l.Scale));
        Assert.Equal(new[] { false, true, false }, plan.Levels.Select(l => l.NormalizesInput));
        Assert.Equal(new[] { false, false, true }, plan.Levels.Select(l => l.HasCondEmb));
        Assert.Equal(new[] { false, false, true }, plan.Levels.Select(l => l.HasLmProj));
        Assert.Equal(new[] { false, false, true }, plan.Levels.Select(l => l.HasMidBlocks));
        Assert.All(plan.Levels, l => Assert.Equal(1024, l.TemporalDim));
        Assert.All(plan.Levels, l => Assert.Equal(FlanT5XlWidth, l.ConditioningDim));
        Assert.Equal(new[] { "", "inner_unet.", "inner_unet.inner_unet." }, plan.Levels.Select(l => l.KeyPrefix));
    }

    [Fact]
    public void Without_a_text_width_the_released_config_is_unconditioned()
    {
        var config = Read("cc12m_64x64", textDim: null);

        var summary = ModelSummary.Of(config);

        Assert.Equal(-1, config.TextEmbeddingDim);
        Assert.False(summary.Plan.IsTextConditioned);
        Assert.DoesNotContain(summary.Tensors, t => t.Key.Contains("cond_emb") || t.Key.Contains("lm_proj") || t.Key.Contains("kv_cond"));
        Assert.True(summary.TotalParameters < 461_359_107);
    }

    [Fact]
    public void The_last_of_repeated_keys_wins_as_in_pyyaml()
    {
        var root64 = YamlConfigReader.Read(File.ReadAllText(Fixtures.MlMdm("released", "cc12m_64x64.yaml")), "64");
        var root1024 = YamlConfigReader.Read(File.ReadAllText(Fixtures.MlMdm("released", "cc12m_1024x1024.yaml")), "1024");
        var root256 = YamlConfigReader.Read(File.ReadAllText(Fixtures.MlMdm("released", "cc12m_256x256.yaml")), "256");

        // The 64 file states diffusion_config twice; the second block (loss target DDPM, not HA_STYLE) is the one used.
        var sampler = root64["diffusion_config"]!["sampler_config"]!;
        Assert.Equal("DDPM", sampler["loss_target_type"]!.GetValue<string>());
        Assert.Equal("CLIP", sampler["threshold_function"]!.GetValue<string>());
        Assert.Null(sampler["predict_variances"]);
        Assert.Equal(32, root64["batch_size"]!.GetValue<int>());
        Assert.Equal(5.0e-05, root64["lr"]!.GetValue<double>());
        Assert.Equal(512, root1024["reader_config"]!["max_caption_length"]!.GetValue<int>());
        Assert.Equal("None", root256["unet_config"]!["initialize_inner_with_pretrained"]!.GetValue<string>());
        Assert.Equal("2:1", root256["mixed_ratio"]!.GetValue<string>());
        Assert.Equal("8rwvbg85tt", root1024["unet_config"]!["initialize_inner_with_pretrained"]!.GetValue<string>());
    }
}
