using Matryoshka.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Conditioning.T5;

/// <summary>The encoder with the fixture's weights against transformers' own T5EncoderModel.</summary>
public class T5EncoderParityTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files => new() { "io", "io_long" };

    /// <summary>dtype, file, reference tensor, tolerance. bfloat16 keeps 8 significant bits (~4e-3 relative per
    /// rounding) on outputs up to 5 in magnitude: it is checked loosely against the float32 reference.</summary>
    public static TheoryData<ScalarType, string, string, double> Precisions => new()
    {
        { ScalarType.Float32, "io", "last_hidden_state", 1e-5 },
        { ScalarType.Float32, "io_long", "last_hidden_state", 1e-5 },
        { ScalarType.Float64, "io", "last_hidden_state_f64", 1e-5 },
        { ScalarType.Float64, "io_long", "last_hidden_state_f64", 1e-5 },
        { ScalarType.BFloat16, "io", "last_hidden_state", 0.15 },
        { ScalarType.BFloat16, "io_long", "last_hidden_state", 0.15 },
    };

    [Theory, MemberData(nameof(Precisions))]
    public void Last_hidden_state_matches_transformers(ScalarType dtype, string file, string reference, double tolerance)
    {
        using var encoder = T5Fixture.Encoder(dtype);
        using var scope = NewDisposeScope();
        var io = T5Fixture.Load(file);
        var actual = encoder.forward(io["input_ids"], io["attention_mask"]);

        Assert.Equal(dtype, actual.dtype);
        output.WriteLine($"{dtype} {file}: max abs error vs transformers {reference} {T5Fixture.MaxAbs(io[reference], actual):E3}");
        TensorAssert.Close(io[reference], actual, tolerance, $"{dtype} {file} last_hidden_state");
    }

    [Theory, MemberData(nameof(Files))]
    public void Every_hidden_state_matches_transformers(string file)
    {
        using var encoder = T5Fixture.Encoder();
        using var scope = NewDisposeScope();
        var io = T5Fixture.Load(file);
        var hidden = new List<Tensor>();
        var last = encoder.Forward(io["input_ids"], io["attention_mask"], hidden);

        // hidden[0] = embeddings, hidden[k] = output of block k−1; transformers' hidden_states.2 is after the final norm.
        Assert.Equal(encoder.Config.NumLayers + 1, hidden.Count);
        TensorAssert.Close(io["hidden_states.0"], hidden[0], 0, "hidden_states.0 (embedding lookup)");
        for (int k = 1; k < encoder.Config.NumLayers; k++)
            TensorAssert.Close(io[$"hidden_states.{k}"], hidden[k], 1e-5, $"hidden_states.{k}");
        TensorAssert.Close(io["final_layer_norm_input"], hidden[^1], 1e-5, "final_layer_norm_input");
        TensorAssert.Close(io[$"hidden_states.{encoder.Config.NumLayers}"], last, 1e-5, "hidden_states after final_layer_norm");
    }

    [Theory, MemberData(nameof(Files))]
    public void Relative_position_buckets_equal_transformers(string file)
    {
        using var scope = NewDisposeScope();
        var io = T5Fixture.Load(file);
        var expected = io["relative_position_bucket"];
        var config = T5Fixture.Config;
        var actual = Matryoshka.Conditioning.T5.T5RelativePosition.Buckets(expected.shape[0], expected.shape[1],
            config.RelativeAttentionNumBuckets, config.RelativeAttentionMaxDistance, CPU);
        Assert.Equal(ScalarType.Int64, actual.dtype);
        TensorAssert.Close(expected, actual, 0, $"{file} relative_position_bucket");
    }

    [Fact]
    public void Distances_beyond_max_distance_saturate_in_the_last_bucket_of_each_direction()
    {
        using var scope = NewDisposeScope();
        var buckets = Matryoshka.Conditioning.T5.T5RelativePosition.Buckets(150, 150, 32, 128, CPU);
        Assert.Equal(0, buckets[0, 0].item<long>());
        Assert.Equal(31, buckets[0, 149].item<long>());    // key 149 after the query: positive half, last bucket
        Assert.Equal(15, buckets[149, 0].item<long>());    // key before the query: first half, last bucket
        Assert.Equal(16 + 7, buckets[0, 7].item<long>());  // distances below 8 are exact
    }

    [Theory, MemberData(nameof(Files))]
    public void Position_bias_matches_transformers_within_1e_6(string file)
    {
        using var encoder = T5Fixture.Encoder();
        using var scope = NewDisposeScope();
        var expected = T5Fixture.Load(file)["position_bias"];
        var actual = encoder.ComputePositionBias(expected.shape[2], expected.shape[3]);
        TensorAssert.Close(expected, actual, 1e-6, $"{file} position_bias");
    }

    [Fact]
    public void Padded_ids_do_not_change_valid_positions()
    {
        using var encoder = T5Fixture.Encoder();
        using var scope = NewDisposeScope();
        var io = T5Fixture.Load("io");
        var ids = io["input_ids"].clone();
        var mask = io["attention_mask"];
        var before = encoder.forward(ids, mask);
        ids.masked_fill_(mask.eq(0), 7);
        var after = encoder.forward(ids, mask);
        var valid = mask.unsqueeze(-1).to(ScalarType.Float32);
        Assert.Equal(0, (before * valid - after * valid).abs().max().item<float>());
    }
}
