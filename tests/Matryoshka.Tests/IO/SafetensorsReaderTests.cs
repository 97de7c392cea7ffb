using Matryoshka.IO;
using TorchSharp;
using Xunit;

namespace Matryoshka.Tests.IO;

public class SafetensorsReaderTests
{
    private static readonly string Forward = Fixtures.MlMdm("two_level", "forward.safetensors");

    [Fact]
    public void Header_of_the_reference_fixture_lists_its_tensors()
    {
        var header = SafetensorsReader.ReadHeader(Forward);

        Assert.Equal(13, header.Tensors.Count);
        AssertTensor(header, "out.0", SafetensorsDType.F32, 2, 3, 32, 32);
        AssertTensor(header, "out.1", SafetensorsDType.F32, 2, 3, 16, 16);
        AssertTensor(header, "x_t.0", SafetensorsDType.F32, 2, 3, 32, 32);
        AssertTensor(header, "lm_outputs", SafetensorsDType.F32, 2, 5, 48);
        AssertTensor(header, "lm_mask", SafetensorsDType.F32, 2, 5);
        AssertTensor(header, "t", SafetensorsDType.I64, 2);
        AssertTensor(header, "debug.cond_emb", SafetensorsDType.F32, 2, 128);
        Assert.Equal("two_level", header.Metadata["case"]);
        Assert.Equal(new FileInfo(Forward).Length, header.FileLength);
        Assert.Equal(header.FileLength - header.DataStart, header.Tensors.Sum(t => t.ByteLength));
        Assert.Equal(0, header.DataStart % 8);
    }

    [Fact]
    public void Reference_fixture_loads_with_its_values()
    {
        using var scope = torch.NewDisposeScope();

        var tensors = SafetensorsReader.Load(Forward);

        Assert.Equal(13, tensors.Count);
        Assert.Equal(torch.ScalarType.Int64, tensors["t"].dtype);
        Assert.Equal(new long[] { 0, 999 }, tensors["t"].data<long>().ToArray());
        // Mask lengths [5, 3] (README): the second row is 1, 1, 1, 0, 0.
        Assert.Equal(new float[] { 1, 1, 1, 1, 1, 1, 1, 1, 0, 0 }, tensors["lm_mask"].data<float>().ToArray());
        Assert.Equal(new long[] { 2, 3, 32, 32 }, tensors["out.0"].shape);
        Assert.Equal(torch.ScalarType.Float32, tensors["out.0"].dtype);
        Assert.Equal(DeviceType.CPU, tensors["out.0"].device_type);
        Assert.True(tensors["out.0"].isfinite().all().item<bool>());
    }

    [Fact]
    public void Load_takes_only_the_tensors_the_filter_accepts()
    {
        using var scope = torch.NewDisposeScope();

        var tensors = SafetensorsReader.Load(Forward, torch.CPU, name => name.StartsWith("out.", StringComparison.Ordinal));

        Assert.Equal(["out.0", "out.1"], tensors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LoadTensor_reads_one_tensor_equal_to_the_full_load()
    {
        using var scope = torch.NewDisposeScope();

        var single = SafetensorsReader.LoadTensor(Forward, "x_t.1", torch.CPU);
        var all = SafetensorsReader.Load(Forward);

        TestTensors.AssertIdentical(all["x_t.1"], single);
    }

    [Fact]
    public void LoadTensor_names_a_missing_tensor()
    {
        var error = Assert.Throws<MatryoshkaException>(() => SafetensorsReader.LoadTensor(Forward, "nope"));

        Assert.Contains("no tensor called 'nope'", error.Message);
    }

    [Fact]
    public void Missing_file_is_reported_as_not_found()
    {
        using var folder = new TempFolder();

        Assert.Throws<FileNotFoundException>(() => SafetensorsReader.ReadHeader(folder.File("absent.safetensors")));
    }

    [Fact]
    public void Zero_size_tensors_may_share_an_offset_with_their_neighbours()
    {
        var bytes = SafetensorsBytes.Build(
            "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}," +
            "\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}," +
            "\"c\":{\"dtype\":\"I8\",\"shape\":[2,0],\"data_offsets\":[4,4]}}", 4);
        using var stream = new MemoryStream(bytes);

        var header = SafetensorsReader.ReadHeader(stream);

        Assert.Equal(["a", "b", "c"], header.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Header_may_start_at_a_stream_offset()
    {
        var content = SafetensorsBytes.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]}}", 3);
        using var stream = new MemoryStream(SafetensorsBytes.Concat([9, 9, 9, 9], content));
        stream.Position = 4;

        var header = SafetensorsReader.ReadHeader(stream);

        Assert.Equal(content.Length, header.FileLength);
        Assert.Equal(3, header.DataLength);
    }

    private static void AssertTensor(SafetensorsHeader header, string name, SafetensorsDType dtype, params long[] shape)
    {
        var info = header.Find(name);
        Assert.NotNull(info);
        Assert.Equal(dtype, info.DType);
        Assert.Equal(shape, info.Shape);
    }
}
