using Matryoshka.IO;
using Matryoshka.IO.Checkpoints;
using Matryoshka.Tests.IO.Checkpoints;
using Matryoshka.Training.Checkpoints;
using TorchSharp;
using Xunit;

namespace Matryoshka.Tests.Training.Checkpoints;

/// <summary><see cref="SafetensorsConversion"/>, called directly.</summary>
public class SafetensorsConversionTests
{
    [Fact]
    public void An_ml_mdm_checkpoint_becomes_safetensors_with_its_state_dict_and_provenance()
    {
        using var folder = new TempFolder();
        var result = SafetensorsConversion.Convert(CheckpointFixtures.Zip, folder.File("model.safetensors"));

        Assert.Equal(239, result.TensorCount);
        Assert.Equal("zip format, batch_num: 1234", result.SourceDescription);
        var header = SafetensorsReader.ReadHeader(folder.File("model.safetensors"));
        Assert.Equal(239, header.Tensors.Count);
        Assert.Equal(result.Bytes, header.DataLength);
        Assert.Equal(("torch zip", "1234", "matryoshka convert"), (header.Metadata["source_format"], header.Metadata["batch_num"], header.Metadata["converted_by"]));
    }

    [Fact]
    public void A_cast_halves_the_floating_point_bytes_and_is_recorded()
    {
        using var folder = new TempFolder();
        var full = SafetensorsConversion.Convert(CheckpointFixtures.Expected, folder.File("f32.safetensors"));
        var half = SafetensorsConversion.Convert(CheckpointFixtures.Expected, folder.File("bf16.safetensors"),
            new SafetensorsConversionOptions { DType = torch.ScalarType.BFloat16 });

        Assert.Equal("safetensors", half.SourceDescription);
        Assert.Equal(full.TensorCount, half.TensorCount);
        Assert.Equal(full.Bytes, 2 * half.Bytes); // the fixture's tensors are all float32
        Assert.Equal("bfloat16", SafetensorsReader.ReadHeader(folder.File("bf16.safetensors")).Metadata["dtype"]);
        Assert.Throws<ArgumentException>(() => new SafetensorsConversionOptions { DType = torch.ScalarType.Int8 }.Validate());
    }

    [Fact]
    public void Refusals_are_typed_and_write_failures_are_told_apart_from_read_failures()
    {
        using var folder = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => SafetensorsConversion.Convert(folder.File("absent.pth"), folder.File("x.safetensors")));
        Assert.Throws<ArgumentException>(() => SafetensorsConversion.Convert(CheckpointFixtures.Zip, CheckpointFixtures.Zip));
        Assert.Throws<UnsafeCheckpointException>(() => SafetensorsConversion.Convert(CheckpointFixtures.HostileZip, folder.File("x.safetensors")));
        var write = Assert.Throws<ConversionWriteException>(() => SafetensorsConversion.Convert(CheckpointFixtures.Zip, folder.File(Path.Combine("absent", "x.safetensors"))));
        Assert.Equal(folder.File(Path.Combine("absent", "x.safetensors")), write.Path);
        Assert.IsAssignableFrom<IOException>(write.InnerException);
    }
}
