using Matryoshka.Training.Checkpoints;
using Matryoshka.IO.Weights;
using Matryoshka.Interop.MlMdm;
using System.Security.Cryptography;
using System.Text.Json;
using Matryoshka.IO;
using Matryoshka.IO.Checkpoints;
using Matryoshka.Models;
using TorchSharp;
using Xunit;

namespace Matryoshka.Tests.IO.Checkpoints;

/// <summary>
/// The real loader checks our exports: PyTorch's <c>torch.load(path, weights_only=True)</c> (Debian's python3-torch,
/// installed by .ci/run) must read every tensor with our names, dtypes, shapes and bytes. Fails, never skips, without PyTorch.
/// </summary>
public class PyTorchLoadTests
{
    [Theory]
    [MemberData(nameof(MlMdmCheckpointExportTests.DTypes), MemberType = typeof(MlMdmCheckpointExportTests))]
    public void PyTorch_loads_an_export_under_weights_only_with_every_tensor_as_ours(string dtype)
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var source = MlMdmCheckpointExportTests.WriteSource(folder.File("model.safetensors"), dtype);
        MlMdmCheckpointExport.Export(folder.File("model.safetensors"), folder.File("vis_model.pth"), new MlMdmExportOptions { ConfigPath = CheckpointFixtures.Config });

        var loaded = PyTorch.Describe(folder.File("vis_model.pth"));

        AssertSameTensors(ModelSummary.Of(ModelConfigFiles.Load(CheckpointFixtures.Config)).Tensors.Select(e => e.Key), source, loaded);
        Assert.Equal("""{"state_dict":"OrderedDict","batch_num":"int","best_avg_loss":"int","exp_avg_loss":"int","exp_avg_loss_var":"int"}""",
            loaded.GetProperty("top_level").GetRawText().Replace(" ", ""));
        Assert.Equal(0, loaded.GetProperty("items").GetProperty("batch_num").GetInt64());
        Assert.Equal(1_000_000_000_000, loaded.GetProperty("items").GetProperty("best_avg_loss").GetInt64());
    }

    [Fact]
    public void PyTorch_loads_the_export_of_the_embedded_model_under_weights_only()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var model = Path.Combine(AppContext.BaseDirectory, "models", "emoji-64");

        // Its model.yaml lies beside the weights and leaves the text width open: the export reads 384 from the weights.
        var result = MlMdmCheckpointExport.Export(Path.Combine(model, "ema.safetensors"), folder.File("emoji-64.pth"));

        Assert.Equal(384, result.TextEmbeddingDim);
        var loaded = PyTorch.Describe(folder.File("emoji-64.pth"));
        var config = ModelConfigFiles.Load(Path.Combine(model, "model.yaml"), textEmbeddingDim: 384);
        AssertSameTensors(ModelSummary.Of(config).Tensors.Select(e => e.Key), SafetensorsReader.Load(Path.Combine(model, "ema.safetensors")), loaded);
        Assert.Equal(File.ReadAllText(Path.Combine(model, "model.yaml")), File.ReadAllText(folder.File("emoji-64.yaml")));
    }

    [Fact]
    public void PyTorch_reads_every_storage_type_the_writer_writes()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var tensors = CheckpointWriterTests.EveryDType();
        PickleCheckpoint.Save(folder.File("every.pth"), tensors, [new("batch_num", 5_000_000_000L), new("name", "ünï"), new("ok", true)]);

        var loaded = PyTorch.Describe(folder.File("every.pth"));

        AssertSameTensors(tensors.Select(p => p.Key), tensors.ToDictionary(), loaded);
        Assert.Equal("""{"batch_num":5000000000,"name":"\u00fcn\u00ef","ok":true}""", loaded.GetProperty("items").GetRawText().Replace(" ", ""));
    }

    private static void AssertSameTensors(IEnumerable<string> order, IReadOnlyDictionary<string, torch.Tensor> ours, JsonElement loaded)
    {
        Assert.True(loaded.GetProperty("zip_crc_ok").GetBoolean(), "Python's zipfile found a bad CRC-32");
        var tensors = loaded.GetProperty("tensors").EnumerateArray().ToList();
        Assert.Equal(order, tensors.Select(t => t.GetProperty("name").GetString()));
        foreach (var tensor in tensors)
        {
            var name = tensor.GetProperty("name").GetString()!;
            var expected = ours[name].contiguous();
            var shape = tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            Assert.True(expected.shape.SequenceEqual(shape), $"{name}: PyTorch shape [{string.Join(",", shape)}]");
            Assert.Equal(TorchName(expected.dtype), tensor.GetProperty("dtype").GetString());
            Assert.Equal(expected.stride(), tensor.GetProperty("stride").EnumerateArray().Select(d => d.GetInt64()).ToArray());
            Assert.Equal(0, tensor.GetProperty("offset").GetInt64());
            Assert.True(Convert.ToHexStringLower(SHA256.HashData(expected.bytes)) == tensor.GetProperty("sha256").GetString(), $"{name}: bytes differ");
        }
    }

    private static string TorchName(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float32 => "float32",
        torch.ScalarType.BFloat16 => "bfloat16",
        torch.ScalarType.Float16 => "float16",
        torch.ScalarType.Float64 => "float64",
        torch.ScalarType.Int64 => "int64",
        torch.ScalarType.Int32 => "int32",
        torch.ScalarType.Int16 => "int16",
        torch.ScalarType.Int8 => "int8",
        torch.ScalarType.Byte => "uint8",
        torch.ScalarType.Bool => "bool",
        _ => type.ToString(),
    };
}
