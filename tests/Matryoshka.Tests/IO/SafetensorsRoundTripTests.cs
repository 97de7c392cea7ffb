using Matryoshka.IO;
using TorchSharp;
using Xunit;

namespace Matryoshka.Tests.IO;

public class SafetensorsRoundTripTests
{
    [Theory]
    [MemberData(nameof(TestTensors.AllDTypes), MemberType = typeof(TestTensors))]
    public void Every_dtype_round_trips_values_and_shapes(SafetensorsDType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, torch.Tensor>
        {
            ["matrix"] = TestTensors.Make(dtype, 2, 3, 4),
            ["scalar"] = TestTensors.Make(dtype).reshape(Array.Empty<long>()),
            ["empty"] = TestTensors.Make(dtype, 0, 3),
            ["empty.middle"] = TestTensors.Make(dtype, 3, 0, 2),
            ["vector"] = TestTensors.Make(dtype, 5),
        };
        using var folder = new TempFolder();
        var path = folder.File("all.safetensors");

        SafetensorsWriter.Save(path, tensors);
        var header = SafetensorsReader.ReadHeader(path);
        var loaded = SafetensorsReader.Load(path);

        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), loaded.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, expected) in tensors)
        {
            TestTensors.AssertIdentical(expected, loaded[name]);
            var info = header.Find(name)!;
            Assert.Equal(dtype, info.DType);
            Assert.Equal(expected.shape, info.Shape);
            Assert.Equal(expected.numel(), info.ElementCount);
            Assert.Equal(expected.numel() * dtype.ElementSize(), info.ByteLength);
        }
        Assert.Empty(header.Find("scalar")!.Shape);
        Assert.Equal(1, header.Find("scalar")!.ElementCount);
        Assert.Equal(0, header.Find("empty")!.ByteLength);
    }

    [Fact]
    public void Special_float_values_round_trip_bit_for_bit()
    {
        using var scope = torch.NewDisposeScope();
        var values = new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue };
        var source = torch.tensor(values, torch.ScalarType.Float64, torch.CPU);
        var tensors = SafetensorsDTypes.All
            .Where(d => d is SafetensorsDType.F64 or SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16)
            .ToDictionary(d => d.ToHeaderString(), d => source.to(d.ToScalarType()));
        using var folder = new TempFolder();
        var path = folder.File("special.safetensors");

        SafetensorsWriter.Save(path, tensors);
        var loaded = SafetensorsReader.Load(path);

        foreach (var (name, expected) in tensors)
        {
            TestTensors.AssertIdentical(expected, loaded[name]);
        }
    }

    [Fact]
    public void Integer_extremes_round_trip()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, torch.Tensor>
        {
            ["i64"] = torch.tensor(new[] { long.MinValue, -1L, 0L, long.MaxValue }, torch.ScalarType.Int64, torch.CPU),
            ["i32"] = torch.tensor(new[] { int.MinValue, int.MaxValue }, torch.ScalarType.Int32, torch.CPU),
            ["i16"] = torch.tensor(new short[] { short.MinValue, short.MaxValue }, torch.ScalarType.Int16, torch.CPU),
            ["i8"] = torch.tensor(new sbyte[] { sbyte.MinValue, sbyte.MaxValue }, torch.ScalarType.Int8, torch.CPU),
            ["u8"] = torch.tensor(new byte[] { 0, 255 }, torch.ScalarType.Byte, torch.CPU),
        };
        using var folder = new TempFolder();
        var path = folder.File("ints.safetensors");

        SafetensorsWriter.Save(path, tensors);
        var loaded = SafetensorsReader.Load(path);

        Assert.Equal(new[] { long.MinValue, -1L, 0L, long.MaxValue }, loaded["i64"].data<long>().ToArray());
        foreach (var (name, expected) in tensors)
        {
            TestTensors.AssertIdentical(expected, loaded[name]);
        }
    }

    [Fact]
    public void Metadata_round_trips()
    {
        using var scope = torch.NewDisposeScope();
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["empty"] = "",
            ["quotes and escapes"] = "a \"quoted\" \\ value\nwith a newline\tand a tab",
            ["unicode ✓"] = "Матрёшка 🪆",
            ["html-ish"] = "<b>&'+",
        };
        var tensors = new Dictionary<string, torch.Tensor> { ["x"] = TestTensors.Make(SafetensorsDType.F32, 2) };
        using var folder = new TempFolder();
        var path = folder.File("meta.safetensors");

        SafetensorsWriter.Save(path, tensors, metadata);
        var header = SafetensorsReader.ReadHeader(path);

        Assert.Equal(metadata.OrderBy(p => p.Key, StringComparer.Ordinal), header.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void File_without_metadata_reads_back_empty_metadata()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("plain.safetensors");

        SafetensorsWriter.Save(path, new Dictionary<string, torch.Tensor> { ["x"] = TestTensors.Make(SafetensorsDType.I8, 3) });

        Assert.Empty(SafetensorsReader.ReadHeader(path).Metadata);
        Assert.DoesNotContain("__metadata__", System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(path)));
    }

    [Fact]
    public void Empty_tensor_set_round_trips()
    {
        using var folder = new TempFolder();
        var path = folder.File("nothing.safetensors");

        SafetensorsWriter.Save(path, new Dictionary<string, torch.Tensor>(), new Dictionary<string, string> { ["k"] = "v" });

        var header = SafetensorsReader.ReadHeader(path);
        Assert.Empty(header.Tensors);
        Assert.Equal(0, header.DataLength);
        Assert.Equal("v", header.Metadata["k"]);
        Assert.Empty(SafetensorsReader.Load(path));
    }

    [Fact]
    public void Stream_overloads_round_trip()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, torch.Tensor> { ["w"] = TestTensors.Make(SafetensorsDType.BF16, 4, 4) };
        using var stream = new MemoryStream();

        SafetensorsWriter.Save(stream, tensors, new Dictionary<string, string> { ["k"] = "v" });
        stream.Position = 0;
        var header = SafetensorsReader.ReadHeader(stream);

        Assert.Equal(stream.Length, header.FileLength);
        Assert.Equal(SafetensorsDType.BF16, header.Tensors.Single().DType);
        Assert.Equal("v", header.Metadata["k"]);
    }
}
