using Matryoshka.IO;
using TorchSharp;
using Xunit;

namespace Matryoshka.Tests.IO;

/// <summary>Deterministic CPU tensors of every safetensors dtype, and byte-exact comparison.</summary>
public static class TestTensors
{
    public static TheoryData<SafetensorsDType> AllDTypes
    {
        get
        {
            var data = new TheoryData<SafetensorsDType>();
            foreach (var dtype in SafetensorsDTypes.All)
            {
                data.Add(dtype);
            }
            return data;
        }
    }

    /// <summary>Distinct, sign-mixed values (non-negative for U8, alternating for BOOL) in <paramref name="shape"/>.</summary>
    public static torch.Tensor Make(SafetensorsDType dtype, params long[] shape)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        using var scope = torch.NewDisposeScope();
        var values = torch.arange(0, count, 1, torch.ScalarType.Float64, torch.CPU);
        var typed = dtype switch
        {
            SafetensorsDType.BOOL => values.remainder(2).ne(0),
            SafetensorsDType.U8 => values.remainder(256).to(torch.ScalarType.Byte),
            SafetensorsDType.I8 or SafetensorsDType.I16 => values.remainder(100).sub(50).to(dtype.ToScalarType()),
            SafetensorsDType.I32 or SafetensorsDType.I64 => values.mul(1001).sub(count * 500).to(dtype.ToScalarType()),
            _ => values.mul(0.37).sub(2.5).to(dtype.ToScalarType()),
        };
        return typed.reshape(shape).MoveToOuterDisposeScope();
    }

    /// <summary>Same dtype, same shape, same bytes (so NaN and -0.0 compare exactly).</summary>
    public static void AssertIdentical(torch.Tensor expected, torch.Tensor actual)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(Bytes(expected), Bytes(actual));
    }

    public static byte[] Bytes(torch.Tensor tensor)
    {
        using var contiguous = tensor.detach().cpu().contiguous();
        return contiguous.numel() == 0 ? [] : contiguous.bytes.ToArray();
    }
}
