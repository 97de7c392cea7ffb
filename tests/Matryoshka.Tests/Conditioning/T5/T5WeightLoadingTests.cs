using TorchSharp;
using System.Text.Json;
using Matryoshka.Conditioning.T5;
using Matryoshka.IO.Weights;
using Matryoshka.IO;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Conditioning.T5;

/// <summary>Loading Hugging Face T5 checkpoints: single files, shards, key aliases, full T5 checkpoints and refusals.</summary>
public class T5WeightLoadingTests
{
    private static Dictionary<string, Tensor> FixtureWeights() => SafetensorsReader.Load(T5Fixture.WeightsPath);

    private static Tensor Encode(T5Encoder encoder)
    {
        var io = T5Fixture.Load("io");
        return encoder.forward(io["input_ids"], io["attention_mask"]);
    }

    private static T5Encoder Loaded(string path, ScalarType dtype = ScalarType.Float32)
    {
        var encoder = new T5Encoder(T5Fixture.Config, CPU, dtype);
        encoder.LoadWeights(path);
        return encoder;
    }

    /// <summary>Writes <paramref name="tensors"/> as two shards plus an index, the way transformers' save_pretrained lays them out.</summary>
    private static string WriteShards(TempFolder folder, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToArray();
        var shards = new[] { "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors" };
        var map = new Dictionary<string, string>();
        for (int s = 0; s < 2; s++)
        {
            var part = names.Where((_, i) => i % 2 == s).ToDictionary(n => n, n => tensors[n]);
            SafetensorsWriter.Save(folder.File(shards[s]), part);
            foreach (var n in part.Keys) map[n] = shards[s];
        }
        var index = new { metadata = new { total_size = 0 }, weight_map = map };
        File.WriteAllText(folder.File(SafetensorsIndex.DefaultFileName), JsonSerializer.Serialize(index));
        return folder.File(SafetensorsIndex.DefaultFileName);
    }

    /// <summary>The fixture's weights after <paramref name="change"/>, saved in <paramref name="folder"/>.</summary>
    private static string WriteChanged(TempFolder folder, Action<Dictionary<string, Tensor>> change)
    {
        using var scope = NewDisposeScope();
        var tensors = FixtureWeights();
        change(tensors);
        var path = folder.File("w.safetensors");
        SafetensorsWriter.Save(path, tensors);
        return path;
    }

    [Fact]
    public void Fixture_weights_load_exactly_with_both_embedding_keys()
    {
        using var encoder = new T5Encoder(T5Fixture.Config);
        var report = encoder.LoadWeights(T5Fixture.WeightsPath);
        Assert.Equal(encoder.state_dict().Count, report.Loaded);
        Assert.Empty(report.Missing);
        Assert.Equal(new[] { T5EncoderWeights.EncoderEmbeddingKey }, report.Unexpected);
        Assert.Equal(T5Fixture.Config.ParameterCount, encoder.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void State_dict_uses_transformers_key_names()
    {
        using var encoder = new T5Encoder(T5Fixture.Config, new Device(DeviceType.META));
        var keys = encoder.state_dict().Keys.ToHashSet();
        using var scope = NewDisposeScope();
        var expected = FixtureWeights().Keys.Where(k => k != T5EncoderWeights.EncoderEmbeddingKey).ToHashSet();
        Assert.Equal(expected.Order(), keys.Order());
    }

    [Fact]
    public void Two_shards_with_an_index_give_bit_identical_output()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        var index = WriteShards(folder, FixtureWeights());
        using var single = Loaded(T5Fixture.WeightsPath);
        using var sharded = Loaded(index);
        TensorAssert.Close(Encode(single), Encode(sharded), 0, "sharded vs single");

        // A folder with config.json and the index loads the same way.
        File.Copy(T5Fixture.ConfigPath, folder.File("config.json"));
        using var pretrained = T5Encoder.FromPretrained(folder.Path);
        TensorAssert.Close(Encode(single), Encode(pretrained), 0, "pretrained vs single");
    }

    [Fact]
    public void A_folder_with_model_safetensors_loads()
    {
        using var folder = new TempFolder();
        File.Copy(T5Fixture.ConfigPath, folder.File("config.json"));
        File.Copy(T5Fixture.WeightsPath, folder.File(SafetensorsCheckpoint.SingleFileName));
        using var encoder = T5Encoder.FromPretrained(folder.Path);
        using var scope = NewDisposeScope();
        var io = T5Fixture.Load("io");
        Assert.True(T5Fixture.MaxAbs(io["last_hidden_state"], Encode(encoder)) <= 1e-5);
    }

    [Fact]
    public void Embedding_stored_only_as_encoder_embed_tokens_loads()
    {
        using var folder = new TempFolder();
        var path = WriteChanged(folder, tensors => tensors.Remove(T5EncoderWeights.SharedEmbeddingKey));
        using var scope = NewDisposeScope();
        using var reference = Loaded(T5Fixture.WeightsPath);
        using var encoder = Loaded(path);
        TensorAssert.Close(Encode(reference), Encode(encoder), 0, "encoder vs reference");
    }

    [Fact]
    public void Decoder_and_lm_head_keys_of_a_full_checkpoint_are_ignored()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        var tensors = FixtureWeights();
        tensors["decoder.block.0.layer.0.SelfAttention.q.weight"] = randn(64, 64);
        tensors["decoder.embed_tokens.weight"] = randn(128, 64);
        tensors["decoder.final_layer_norm.weight"] = ones(64);
        tensors["lm_head.weight"] = randn(128, 64);
        var index = WriteShards(folder, tensors);
        using var encoder = new T5Encoder(T5Fixture.Config);
        var report = encoder.LoadWeights(index);
        Assert.Contains("lm_head.weight", report.Unexpected);
        Assert.Contains("decoder.embed_tokens.weight", report.Unexpected);
        using var reference = Loaded(T5Fixture.WeightsPath);
        TensorAssert.Close(Encode(reference), Encode(encoder), 0, "encoder vs reference");
    }

    [Theory]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float16)]
    public void Half_precision_weights_are_cast_to_the_encoder_dtype(ScalarType stored)
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        var tensors = FixtureWeights().ToDictionary(p => p.Key, p => p.Value.to(stored));
        SafetensorsWriter.Save(folder.File("half.safetensors"), tensors);
        using var encoder = Loaded(folder.File("half.safetensors"));
        foreach (var (key, value) in encoder.state_dict())
        {
            Assert.Equal(ScalarType.Float32, value.dtype);
            TensorAssert.Close(tensors[key], value, 0, key);
        }
    }

    [Fact]
    public void A_missing_encoder_key_is_named()
    {
        using var folder = new TempFolder();
        var path = WriteChanged(folder, tensors => tensors.Remove("encoder.block.1.layer.1.DenseReluDense.wi_1.weight"));
        var e = Assert.Throws<WeightsMismatchException>(() => Loaded(path));
        Assert.Equal(new[] { "encoder.block.1.layer.1.DenseReluDense.wi_1.weight" }, e.Missing);
        Assert.Contains("wi_1", e.Message);
    }

    [Fact]
    public void Missing_embedding_under_both_names_is_reported_as_shared_weight()
    {
        using var folder = new TempFolder();
        var path = WriteChanged(folder, tensors =>
        {
            tensors.Remove(T5EncoderWeights.SharedEmbeddingKey);
            tensors.Remove(T5EncoderWeights.EncoderEmbeddingKey);
        });
        var e = Assert.Throws<WeightsMismatchException>(() => Loaded(path));
        Assert.Equal(new[] { T5EncoderWeights.SharedEmbeddingKey }, e.Missing);
    }

    [Fact]
    public void A_wrong_shape_is_named_before_anything_is_copied()
    {
        using var folder = new TempFolder();
        var path = WriteChanged(folder, tensors => tensors["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"] = zeros(16, 4));
        using var encoder = new T5Encoder(T5Fixture.Config);
        var before = encoder.state_dict()["encoder.final_layer_norm.weight"].clone();
        var e = Assert.Throws<WeightsMismatchException>(() => encoder.LoadWeights(path));
        Assert.Contains("relative_attention_bias.weight", e.Message);
        Assert.Contains("[16, 4]", e.Message);
        TensorAssert.Close(before, encoder.state_dict()["encoder.final_layer_norm.weight"], 0, "final_layer_norm.weight after a refused load");
    }

    [Fact]
    public void Weights_of_a_deeper_model_are_refused_as_unexpected()
    {
        using var folder = new TempFolder();
        var path = WriteChanged(folder, tensors => tensors["encoder.block.2.layer.0.layer_norm.weight"] = ones(64));
        var e = Assert.Throws<WeightsMismatchException>(() => Loaded(path));
        Assert.Equal(new[] { "encoder.block.2.layer.0.layer_norm.weight" }, e.Unexpected);
    }

    [Fact]
    public void Integer_weights_are_refused()
    {
        using var folder = new TempFolder();
        var path = WriteChanged(folder, tensors => tensors["encoder.final_layer_norm.weight"] = ones(new long[] { 64 }, ScalarType.Int32));
        var e = Assert.Throws<WeightsMismatchException>(() => Loaded(path));
        Assert.Contains("encoder.final_layer_norm.weight", e.Message);
    }

    [Fact]
    public void A_shard_named_in_the_index_but_absent_is_named()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        var index = WriteShards(folder, FixtureWeights());
        File.Delete(folder.File("model-00002-of-00002.safetensors"));
        var e = Assert.Throws<SafetensorsCheckpointException>(() => Loaded(index));
        Assert.Contains("model-00002-of-00002.safetensors", e.Message);
    }

    [Fact]
    public void An_index_entry_whose_shard_lacks_the_tensor_is_named()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        var index = WriteShards(folder, FixtureWeights());
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(index))!;
        var map = json["weight_map"]!;
        const string key = "encoder.final_layer_norm.weight";
        map[key] = map[key]!.GetValue<string>() == "model-00001-of-00002.safetensors" ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors";
        var text = json.ToJsonString();
        File.WriteAllText(index, text);
        var e = Assert.Throws<SafetensorsCheckpointException>(() => Loaded(index));
        Assert.Contains(key, e.Message);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("{\"metadata\":{}}", "weight_map")]
    [InlineData("{\"weight_map\":{}}", "empty")]
    [InlineData("{\"weight_map\":{\"shared.weight\":3}}", "shared.weight")]
    [InlineData("{\"weight_map\":{\"shared.weight\":\"../outside.safetensors\"}}", "../outside.safetensors")]
    [InlineData("{\"weight_map\":{\"shared.weight\":\"/etc/passwd.safetensors\"}}", "/etc/passwd.safetensors")]
    [InlineData("{\"weight_map\":{\"shared.weight\":\"model.bin\"}}", "model.bin")]
    [InlineData("{\"weight_map\":{\"a\":\"x.safetensors\",\"a\":\"y.safetensors\"}}", "'a'")]
    public void Malformed_indexes_are_refused_naming_the_problem(string json, string named)
    {
        using var folder = new TempFolder();
        var index = folder.Write(SafetensorsIndex.DefaultFileName, System.Text.Encoding.UTF8.GetBytes(json));
        var e = Assert.Throws<SafetensorsCheckpointException>(() => Loaded(index));
        Assert.Contains(named, e.Message);
        Assert.Equal(index, e.FilePath);
    }

    [Fact]
    public void A_folder_without_weights_is_refused()
    {
        using var folder = new TempFolder();
        File.Copy(T5Fixture.ConfigPath, folder.File("config.json"));
        var e = Assert.Throws<SafetensorsCheckpointException>(() => T5Encoder.FromPretrained(folder.Path));
        Assert.Contains(SafetensorsIndex.DefaultFileName, e.Message);
    }
}
