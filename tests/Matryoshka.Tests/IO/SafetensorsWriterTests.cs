using System.Buffers.Binary;
using System.Text;
using Matryoshka.IO;
using TorchSharp;
using Xunit;

namespace Matryoshka.Tests.IO;

public class SafetensorsWriterTests
{
    [Theory]
    [InlineData("x")]
    [InlineData("a.b")]
    [InlineData("a.longer.name.that.shifts.the.padding")]
    [InlineData("seven77")]
    public void Header_is_padded_with_spaces_to_a_multiple_of_8(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("padded.safetensors");

        SafetensorsWriter.Save(path, new Dictionary<string, torch.Tensor> { [name] = TestTensors.Make(SafetensorsDType.F32, 3) });

        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        var json = Encoding.UTF8.GetString(bytes, 8, headerLength);
        Assert.StartsWith("{", json);
        Assert.Equal(json.TrimEnd(' ').Length, json.TrimEnd().Length);
        Assert.EndsWith("}", json.TrimEnd(' '));
        Assert.Equal(8 + headerLength, SafetensorsReader.ReadHeader(path).DataStart);
    }

    [Fact]
    public void Tensors_are_stored_contiguously_in_ordinal_name_order()
    {
        using var scope = torch.NewDisposeScope();
        string[] names = ["b", "a", "B", "a.10", "a.2", "ä", "_x", "a.1"];
        var tensors = names.ToDictionary(n => n, _ => TestTensors.Make(SafetensorsDType.F32, 2));
        using var folder = new TempFolder();
        var path = folder.File("ordered.safetensors");

        SafetensorsWriter.Save(path, tensors);
        var header = SafetensorsReader.ReadHeader(path);

        var expectedOrder = names.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expectedOrder, header.Tensors.Select(t => t.Name));
        long offset = 0;
        foreach (var tensor in header.Tensors)
        {
            Assert.Equal(offset, tensor.Begin);
            offset = tensor.End;
        }
        var json = Encoding.UTF8.GetString(File.ReadAllBytes(path), 8, (int)header.HeaderLength);
        var positions = expectedOrder.Select(n => json.IndexOf($"\"{n}\":", StringComparison.Ordinal)).ToArray();
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void Non_contiguous_and_gradient_tensors_are_saved_without_changing_them()
    {
        using var scope = torch.NewDisposeScope();
        var transposed = TestTensors.Make(SafetensorsDType.F32, 3, 4).t();
        var trainable = TestTensors.Make(SafetensorsDType.F32, 2).requires_grad_(true);
        var before = TestTensors.Bytes(transposed);
        using var folder = new TempFolder();
        var path = folder.File("views.safetensors");

        SafetensorsWriter.Save(path, new Dictionary<string, torch.Tensor> { ["t"] = transposed, ["g"] = trainable });
        var loaded = SafetensorsReader.Load(path);

        Assert.False(transposed.is_contiguous());
        Assert.True(trainable.requires_grad);
        Assert.Equal(before, TestTensors.Bytes(transposed));
        TestTensors.AssertIdentical(transposed, loaded["t"]);
        Assert.True(loaded["t"].is_contiguous());
        Assert.False(loaded["g"].requires_grad);
        TestTensors.AssertIdentical(trainable, loaded["g"]);
    }

    [Fact]
    public void Unsupported_dtype_is_refused_and_leaves_the_destination_untouched()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("model.safetensors");
        SafetensorsWriter.Save(path, new Dictionary<string, torch.Tensor> { ["old"] = TestTensors.Make(SafetensorsDType.F32, 2) });
        var original = File.ReadAllBytes(path);
        var complex = torch.zeros(2, torch.ScalarType.ComplexFloat32, torch.CPU);

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsWriter.Save(path,
            new Dictionary<string, torch.Tensor> { ["ok"] = TestTensors.Make(SafetensorsDType.F32, 2), ["z"] = complex }));

        Assert.Contains("tensor 'z' has dtype ComplexFloat32", error.Problem);
        Assert.Equal(original, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Failed_save_creates_no_file()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("never.safetensors");

        Assert.Throws<SafetensorsFormatException>(() => SafetensorsWriter.Save(path,
            new Dictionary<string, torch.Tensor> { ["q"] = torch.zeros(2, torch.ScalarType.ComplexFloat64, torch.CPU) }));

        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Save_replaces_an_existing_file_and_leaves_no_temporary_file()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("model.safetensors");
        SafetensorsWriter.Save(path, new Dictionary<string, torch.Tensor> { ["old"] = TestTensors.Make(SafetensorsDType.F32, 2) });

        SafetensorsWriter.Save(path, new Dictionary<string, torch.Tensor> { ["new"] = TestTensors.Make(SafetensorsDType.I64, 3) });

        Assert.Equal(["new"], SafetensorsReader.ReadHeader(path).Tensors.Select(t => t.Name));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Theory]
    [InlineData("", "a tensor has an empty name")]
    [InlineData("__metadata__", "a tensor is named '__metadata__'")]
    [InlineData("lone surrogate", "tensor name 'bad")]
    public void Names_the_format_cannot_hold_are_refused(string name, string fragment)
    {
        // Built here: xunit would replace the lone surrogate when serialising the case.
        name = name == "lone surrogate" ? "bad" + (char)0xD800 : name;
        using var scope = torch.NewDisposeScope();
        using var stream = new MemoryStream();

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsWriter.Save(stream,
            new Dictionary<string, torch.Tensor> { [name] = TestTensors.Make(SafetensorsDType.U8, 1) }));

        Assert.Contains(fragment, error.Problem);
        Assert.Equal(0, stream.Length);
    }

    [Theory]
    [InlineData("two_level", "forward.safetensors")]
    [InlineData("two_level", "loss.safetensors")]
    [InlineData("two_level", "schedule.safetensors")]
    [InlineData("three_level", "forward.safetensors")]
    [InlineData("three_level", "loss.safetensors")]
    [InlineData("three_level", "schedule.safetensors")]
    public void Re_saving_a_reference_file_reproduces_it_byte_for_byte(string caseName, string file)
    {
        using var scope = torch.NewDisposeScope();
        var fixture = Fixtures.MlMdm(caseName, file);
        var header = SafetensorsReader.ReadHeader(fixture);
        var tensors = SafetensorsReader.Load(fixture);
        using var stream = new MemoryStream();

        SafetensorsWriter.Save(stream, tensors, header.Metadata);

        Assert.Equal(File.ReadAllBytes(fixture), stream.ToArray());
    }
}
