using TorchSharp;
using System.Text.Json.Nodes;
using Matryoshka.Conditioning.T5;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Conditioning.T5;

/// <summary>Reading T5 config.json files, the flan-t5-xl preset, parameter counts and the non-gated (original T5) variant.</summary>
public class T5EncoderConfigTests
{
    private static JsonObject FixtureJson() => JsonNode.Parse(File.ReadAllText(T5Fixture.ConfigPath))!.AsObject();

    [Fact]
    public void Fixture_config_reads_as_gated_gelu_new()
    {
        var config = T5Fixture.Config;
        Assert.Equal(new T5EncoderConfig
        {
            VocabSize = 128, ModelDim = 64, KeyValueDim = 16, FeedForwardDim = 128, NumLayers = 2, NumHeads = 4,
            RelativeAttentionNumBuckets = 32, RelativeAttentionMaxDistance = 128, LayerNormEpsilon = 1e-6,
            Activation = T5Activation.GeluNew, IsGated = true,
        }, config);
        Assert.Equal("gated-gelu", config.FeedForwardProj);
    }

    [Theory]
    [InlineData("relu", T5Activation.Relu, false)]
    [InlineData("gated-gelu", T5Activation.GeluNew, true)]
    [InlineData("gated-relu", T5Activation.Relu, true)]
    [InlineData("gated-silu", T5Activation.Silu, true)]
    [InlineData("gelu", T5Activation.Gelu, false)]
    [InlineData("gated-gelu_new", T5Activation.GeluNew, true)]
    public void Feed_forward_proj_derives_activation_and_gating_as_transformers(string proj, T5Activation activation, bool gated)
    {
        var json = FixtureJson();
        json["feed_forward_proj"] = proj;
        json.Remove("dense_act_fn");
        json.Remove("is_gated_act");
        var config = T5EncoderConfig.FromJson(json);
        Assert.Equal(activation, config.Activation);
        Assert.Equal(gated, config.IsGated);
    }

    [Fact]
    public void Dense_act_fn_and_is_gated_act_override_feed_forward_proj_as_in_transformers()
    {
        // T5Config derives them from feed_forward_proj, then PretrainedConfig sets the config.json's own values over them.
        var json = FixtureJson();
        json["dense_act_fn"] = "relu";
        json["is_gated_act"] = false;
        var config = T5EncoderConfig.FromJson(json);
        Assert.Equal((T5Activation.Relu, false), (config.Activation, config.IsGated));
    }

    [Fact]
    public void Optional_fields_default_as_in_T5Config()
    {
        var json = FixtureJson();
        foreach (var key in new[] { "relative_attention_num_buckets", "relative_attention_max_distance", "layer_norm_epsilon", "feed_forward_proj", "dense_act_fn", "is_gated_act" })
            json.Remove(key);
        var config = T5EncoderConfig.FromJson(json);
        Assert.Equal((32, 128, 1e-6, T5Activation.Relu, false),
            (config.RelativeAttentionNumBuckets, config.RelativeAttentionMaxDistance, config.LayerNormEpsilon, config.Activation, config.IsGated));
    }

    public static TheoryData<string, JsonNode?, string> BadFields => new()
    {
        { "d_model", null, "d_model" },
        { "num_heads", 0, "num_heads" },
        { "d_kv", -64, "d_kv" },
        { "d_ff", 1_000_000_000, "d_ff" },
        { "vocab_size", "many", "vocab_size" },
        { "num_layers", 100000, "num_layers" },
        { "layer_norm_epsilon", 0.0, "layer_norm_epsilon" },
        { "layer_norm_epsilon", -1e-6, "layer_norm_epsilon" },
        { "relative_attention_num_buckets", 2, "relative_attention_num_buckets" },
        { "relative_attention_max_distance", 4, "relative_attention_max_distance" },
        { "feed_forward_proj", "gated-tanh-x", "feed_forward_proj" },
        { "feed_forward_proj", "swiglu", "feed_forward_proj" },
        { "dense_act_fn", "quick_gelu", "dense_act_fn" },
        { "model_type", "umt5", "model_type" },
    };

    [Theory, MemberData(nameof(BadFields))]
    public void Bad_fields_are_refused_naming_the_field(string key, JsonNode? value, string field)
    {
        var json = FixtureJson();
        if (value is null) json.Remove(key); else json[key] = value;
        var e = Assert.Throws<ModelConfigurationException>(() => T5EncoderConfig.FromJson(json));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Missing_and_malformed_files_are_refused()
    {
        using var folder = new TempFolder();
        Assert.Throws<ModelConfigurationException>(() => T5EncoderConfig.FromFile(folder.File("config.json")));
        var bad = folder.Write("bad.json", "{\"d_model\": "u8.ToArray());
        Assert.Throws<ModelConfigurationException>(() => T5EncoderConfig.FromFile(bad));
    }

    [Fact]
    public void Flan_t5_xl_encoder_has_its_published_parameter_count()
    {
        // By hand: V·D + L·(4·D·H·d_kv + 3·D·d_ff + 2·D) + buckets·H + D
        const long v = 32128, d = 2048, dkv = 64, dff = 5120, layers = 24, heads = 32, buckets = 32;
        long byHand = v * d + layers * (4 * d * heads * dkv + 3 * d * dff + 2 * d) + buckets * heads + d;
        // The flan-t5-xl encoder's published size (T5EncoderModel of google/flan-t5-xl): 1,223,527,424 parameters.
        Assert.Equal(1_223_527_424L, byHand);
        var config = T5EncoderConfig.FlanT5Xl;
        Assert.Equal(byHand, config.ParameterCount);
        Assert.Equal(byHand * 4, config.WeightBytes(ScalarType.Float32));
        Assert.Equal(byHand * 2, config.WeightBytes(ScalarType.BFloat16));
        Assert.Equal("gated-gelu", config.FeedForwardProj);
    }

    [Fact]
    public void Flan_t5_xl_builds_on_the_meta_device_with_that_many_parameters()
    {
        using var encoder = new T5Encoder(T5EncoderConfig.FlanT5Xl, new Device(DeviceType.META), ScalarType.BFloat16);
        var state = encoder.state_dict();
        Assert.Equal(1_223_527_424L, state.Values.Sum(t => t.numel()));
        Assert.Equal(1 + 24 * 9 + 1 + 1, state.Count);
        Assert.All(state.Values, t => Assert.Equal(DeviceType.META, t.device_type));
        Assert.Equal(new long[] { 5120, 2048 }, state["encoder.block.23.layer.1.DenseReluDense.wi_0.weight"].shape);
        Assert.Equal(new long[] { 32, 32 }, state["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"].shape);
    }

    [Fact]
    public void Parameter_count_formula_equals_the_built_module_for_both_feed_forward_kinds()
    {
        foreach (var gated in new[] { true, false })
        {
            var config = T5Fixture.Config with { IsGated = gated, NumHeads = 3, KeyValueDim = 8, Activation = T5Activation.Relu };
            using var encoder = new T5Encoder(config, new Device(DeviceType.META));
            Assert.Equal(config.ParameterCount, encoder.parameters().Sum(p => p.numel()));
        }
    }

    [Fact]
    public void Original_t5_relu_feed_forward_builds_and_runs()
    {
        var config = T5Fixture.Config with { IsGated = false, Activation = T5Activation.Relu };
        using var encoder = new T5Encoder(config);
        var state = encoder.state_dict();
        Assert.Contains("encoder.block.1.layer.1.DenseReluDense.wi.weight", state.Keys);
        Assert.DoesNotContain("encoder.block.1.layer.1.DenseReluDense.wi_0.weight", state.Keys);

        using var scope = NewDisposeScope();
        var io = T5Fixture.Load("io");
        var output = encoder.forward(io["input_ids"], io["attention_mask"]);
        Assert.Equal(new long[] { 3, 24, 64 }, output.shape);
        Assert.False(output.isnan().any().item<bool>());

        // Closed form: with zero wi, relu(wi·x) = 0 and the feed-forward adds nothing whatever wo is.
        using (no_grad())
            foreach (var (key, value) in state)
                if (key.EndsWith("DenseReluDense.wi.weight", StringComparison.Ordinal)) value.zero_();
        var withoutFeedForward = encoder.forward(io["input_ids"], io["attention_mask"]);
        using (no_grad())
            foreach (var (key, value) in state)
                if (key.EndsWith("DenseReluDense.wo.weight", StringComparison.Ordinal)) value.normal_();
        var withOtherWo = encoder.forward(io["input_ids"], io["attention_mask"]);
        TensorAssert.Close(withoutFeedForward, withOtherWo, 0, "output with another wo while wi is zero");
    }
}
