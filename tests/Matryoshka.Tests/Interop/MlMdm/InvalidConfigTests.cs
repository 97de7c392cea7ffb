using System.Text.Json.Nodes;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Interop.MlMdm;

/// <summary>
/// Invalid model configs are refused with the offending field's ml-mdm path. Each case overrides fields of a valid
/// two-level config by repeating them at the end of their mapping: in YAML the last of repeated keys wins.
/// </summary>
public class InvalidConfigTests
{
    private const int TextDim = 48;

    // The two_level parity fixture's architecture (32 → 16), written as ml-mdm YAML.
    private static string Yaml(string outer = "", string inner = "", string top = "") => $$"""
        model: nested_unet
        sample_image_size: 32
        unet_config:
          resolution_channels: [32, 64]
          num_resnets_per_resolution: [1, 1]
          attention_levels: []
          num_attention_layers: [1, 1]
          temporal_dim: 128
          micro_conditioning: scale:32
          skip_normalization: true
          inner_config:
            resolution_channels: [32, 64]
            num_resnets_per_resolution: [1, 1]
            attention_levels: [1]
            num_attention_layers: [0, 1]
            conditioning_feature_proj_dim: 64
            masked_cross_attention: 0
            nesting: true
            micro_conditioning: scale:16
            resnet_config: {num_groups_norm: 32, use_attention_ffn: true}
        {{Indent(inner, 4)}}
        {{Indent(outer, 2)}}
        {{top}}
        """;

    private static string Indent(string lines, int spaces) =>
        string.Join("\n", lines.Split('\n').Select(l => l.Length == 0 ? l : new string(' ', spaces) + l));

    private static ModelConfigurationException Refused(string yaml, int? textDim = TextDim) =>
        Assert.Throws<ModelConfigurationException>(() => ModelSummary.Of(MlMdmModelConfig.FromYaml(yaml, textDim)));

    [Fact]
    public void The_base_config_is_valid_and_equals_the_two_level_fixture()
    {
        var summary = ModelSummary.Of(MlMdmModelConfig.FromYaml(Yaml(), TextDim));

        Assert.Equal(1_520_422, summary.TotalParameters);
        Assert.Equal(267, summary.Tensors.Count);
        Assert.Equal(new[] { 32, 16 }, summary.Plan.Resolutions);
    }

    public static TheoryData<string, string, string> Cases => new()
    {
        // yaml, field, fragment of the problem
        { Yaml(outer: "num_resnets_per_resolution: [1, 1, 1]"), "unet_config.num_resnets_per_resolution", "has 3 entries [1, 1, 1] but resolution_channels has 2" },
        { Yaml(inner: "num_attention_layers: [0, 1, 1]"), "unet_config.inner_config.num_attention_layers", "has 3 entries" },
        { Yaml(inner: "attention_levels: [1, 2]"), "unet_config.inner_config.attention_levels", "index 2 is outside the 2 resolutions [0, 1]" },
        { Yaml(inner: "attention_levels: [-1]"), "unet_config.inner_config.attention_levels", "index -1 is outside" },
        { Yaml(top: "sample_image_size: 30"), "unet_config.inner_config.resolution_channels", "15 is not divisible by 2" },
        { Yaml(outer: "resolution_channels: [32, 64, 64]\nnum_resnets_per_resolution: [1, 1, 1]\nnum_attention_layers: [0, 0, 0]", top: "sample_image_size: 100"),
            "unet_config.inner_config.resolution_channels", "25 is not divisible by 2" },
        { Yaml(outer: "resolution_channels: [32, 64, 64]\nnum_resnets_per_resolution: [1, 1, 1]\nnum_attention_layers: [0, 0, 0]", top: "sample_image_size: 102"),
            "unet_config.resolution_channels", "102 is not divisible by 4" },
        { Yaml(outer: "temporal_dim: 100"), "unet_config.temporal_dim", "is 100; the time embedding width must be a positive multiple of 8" },
        { Yaml(inner: "resolution_channels: [33, 64]"), "unet_config.inner_config.temporal_dim", "is 132 (not set, so 4 × resolution_channels[0])" },
        { Yaml(outer: "temporal_dim: 4294967304"), "unet_config.temporal_dim", "is 4294967304, outside the 32-bit integers" },
        { Yaml(outer: "temporal_dim: '99999999999'"), "unet_config.temporal_dim", "is 99999999999, outside the 32-bit integers" },
        { Yaml(outer: "temporal_dim: 33554432"), "unet_config.temporal_dim", "is 33554432; the time embedding width must be a positive multiple of 8, at most 16777216" },
        { Yaml(inner: "resolution_channels: [4294967296, 64]"), "unet_config.inner_config.resolution_channels", "entry 0 is 4294967296, outside the 32-bit integers" },
        { Yaml(inner: "resolution_channels: '32, 4294967296'"), "unet_config.inner_config.resolution_channels", "'32, 4294967296': is 4294967296, outside the 32-bit integers" },
        { Yaml(top: "model: nested2_unet"), "model", "'nested2_unet' has 3 levels but unet_config nests 2" },
        { Yaml(top: "model: unet"), "model", "'unet' has 1 levels but unet_config nests 2" },
        { Yaml(top: "model: diffusion_transformer"), "model", "is not an ml-mdm vision model" },
        { Yaml(inner: "skip_cond_emb: true"), "unet_config.inner_config.skip_cond_emb", "the innermost level must own the text embedding" },
        { Yaml(outer: "skip_mid_blocks: false"), "unet_config.skip_mid_blocks", "must be true on a level that wraps another" },
        { Yaml(outer: "temporal_mode: true"), "unet_config.resolution_channels", "a temporal level needs an odd number of resolutions" },
        { Yaml(inner: "temporal_mode: true"), "unet_config.inner_config.temporal_mode", "is set on the innermost level; only a level that wraps another can be temporal" },
        { Yaml(inner: "temporal_spatial_ds: 1"), "unet_config.inner_config.temporal_spatial_ds", "is not supported: with it ml-mdm builds no temporal layers" },
        { Yaml(outer: "temporal_positional_encoding: true"), "unet_config.temporal_positional_encoding", "rotary_embedding_torch" },
        { Yaml(inner: "num_temporal_attention_layers: [1, 1]"), "unet_config.inner_config.num_temporal_attention_layers", "asks for temporal attention on a level without temporal_mode" },
        { Yaml(outer: "temporal_mode: true\nresolution_channels: [32, 48, 64]\nnum_resnets_per_resolution: [1, 1, 1]\nnum_attention_layers: [0, 0, 0]\nnum_temporal_attention_layers: [0, 1, 0]"),
            "unet_config.num_temporal_attention_layers", "entry 1 asks for temporal attention on 48 channels; ml-mdm's TemporalAttentionBlock uses heads of 32 channels" },
        { Yaml(outer: "temporal_mode: true\nresolution_channels: [32, 32, 64]\nnum_resnets_per_resolution: [1, 1, 1]\nnum_attention_layers: [0, 0, 0]\nnum_temporal_attention_layers: [1, 1]"),
            "unet_config.num_temporal_attention_layers", "has 2 entries [1, 1] but resolution_channels has 3" },
        { Yaml(inner: "skip_normalization: false"), "unet_config.inner_config.skip_normalization", "is a NestedUNet field but this level has no inner_config" },
        { Yaml(outer: "bogus_field: 1"), "unet_config.bogus_field", "is not an ml-mdm UNetConfig field" },
        { Yaml(inner: "num_resnets_per_resolution: [1, 0]"), "unet_config.inner_config.num_resnets_per_resolution", "entry 1 is 0" },
        { Yaml(outer: "resolution_channels: []\nnum_resnets_per_resolution: []\nnum_attention_layers: []"), "unet_config.resolution_channels", "needs at least one entry" },
        { Yaml(outer: "micro_conditioning: scale"), "unet_config.micro_conditioning", "'scale': entry 'scale' is not key:value" },
        { Yaml(outer: "micro_conditioning: 'scale:-4'"), "unet_config.micro_conditioning", "is not a positive number" },
        { Yaml(inner: "resnet_config: {dropout: 1.5}"), "unet_config.inner_config.resnet_config.dropout", "is 1.5; must be in [0, 1)" },
        { Yaml(inner: "resnet_config: {num_groups_norm: 0}"), "unet_config.inner_config.resnet_config.num_groups_norm", "is 0; must be positive" },
        { Yaml(inner: "num_attention_layers: '0,x'"), "unet_config.inner_config.num_attention_layers", "'x' is not an integer" },
        { Yaml(outer: "temporal_dim: [128]"), "unet_config.temporal_dim", "must be a single value" },
        { Yaml(outer: "skip_mid_blocks: maybe"), "unet_config.skip_mid_blocks", "must be true/false" },
        { Yaml(outer: "inner_config: 5"), "unet_config.inner_config", "must be a mapping" },
        { Yaml(inner: "resolution_channels: [32, 68]\nresnet_config: {num_groups_norm: 4}"), "unet_config.inner_config.attention_levels", "attention on 68 channels: the channels must divide into 8 heads" },
        { "sample_image_size: 32\n", "unet_config", "is missing" },
        { Yaml().Replace("sample_image_size: 32\n", ""), "sample_image_size", "the output resolution is missing" },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Invalid_config_is_refused_naming_the_field(string yaml, string field, string fragment)
    {
        var error = Refused(yaml);

        Assert.Equal(field, error.Field);
        Assert.Contains(fragment, error.Problem);
    }

    [Fact]
    public void GroupNorm_groups_that_do_not_divide_the_channels_are_refused_when_the_model_is_built()
    {
        var config = MlMdmModelConfig.FromYaml(Yaml(inner: "resolution_channels: [48, 64]"), TextDim);

        var error = Assert.Throws<ModelConfigurationException>(() => new NestedUNet(config, new Device(DeviceType.META)));

        Assert.Equal("unet_config.inner_config.resnet_config.num_groups_norm", error.Field);
        Assert.Equal("GroupNorm with 32 groups cannot split 48 channels (the group count must divide the channel count)", error.Problem);
    }

    [Fact]
    public void Attention_on_channels_that_32_groups_cannot_split_is_refused()
    {
        var config = MlMdmModelConfig.FromYaml(Yaml(inner: "resolution_channels: [32, 80]\nresnet_config: {num_groups_norm: 16}"), TextDim);

        var error = Assert.Throws<ModelConfigurationException>(() => new NestedUNet(config, new Device(DeviceType.META)));

        Assert.Equal("unet_config.inner_config.attention_levels", error.Field);
        Assert.Contains("attention on 80 channels: its GroupNorm has 32 groups (fixed in ml-mdm)", error.Problem);
    }

    [Fact]
    public void Json_configs_are_checked_the_same_way()
    {
        var root = JsonNode.Parse("""
            {"level_resolutions": [64], "unet_config": {"resolution_channels": [64, 128], "num_resnets_per_resolution": [2, 2],
             "attention_levels": [1], "num_attention_layers": [0, 1], "temporal_dim": 260}}
            """)!.AsObject();

        var error = Assert.Throws<ModelConfigurationException>(() => MlMdmModelConfig.FromJson(root).Plan());

        Assert.Equal("unet_config.temporal_dim", error.Field);
        Assert.Contains("is 260", error.Problem);
    }

    [Fact]
    public void The_text_width_must_be_known_for_a_text_conditioned_level_to_own_text_layers()
    {
        // Without a text width the same config is a valid unconditioned model: no text layers at all.
        var summary = ModelSummary.Of(MlMdmModelConfig.FromYaml(Yaml(), textEmbeddingDim: null));

        Assert.False(summary.Plan.IsTextConditioned);
        Assert.DoesNotContain(summary.Tensors, t => t.Key.Contains("cond_emb") || t.Key.Contains("lm_proj") || t.Key.Contains("kv_cond"));
    }
}
