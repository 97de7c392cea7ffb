using Matryoshka.IO;
using TorchSharp;
using Xunit;

namespace Matryoshka.Tests.IO;

public class TensorBytesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(12)]
    [InlineData(1000)]
    public void Chunked_copies_move_every_byte_whatever_the_chunk_size(int chunkBytes)
    {
        using var scope = torch.NewDisposeScope();
        var source = TestTensors.Make(SafetensorsDType.F32, 7, 5);
        using var stream = new MemoryStream();

        TensorBytes.WriteFrom(stream, source, chunkBytes);
        Assert.Equal(TestTensors.Bytes(source), stream.ToArray());

        stream.Position = 0;
        var target = torch.empty(source.shape, torch.ScalarType.Float32, torch.CPU);
        var info = SafetensorsReader.ReadHeader(SaveToStream("x", source)).Tensors.Single();
        TensorBytes.ReadInto(stream, target, info, "<test>", chunkBytes);

        TestTensors.AssertIdentical(source, target);
    }

    private static MemoryStream SaveToStream(string name, torch.Tensor tensor)
    {
        var stream = new MemoryStream();
        SafetensorsWriter.Save(stream, new Dictionary<string, torch.Tensor> { [name] = tensor });
        stream.Position = 0;
        return stream;
    }
}
