using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Support;

/// <summary>Tensor comparisons that report where and by how much values differ.</summary>
public static class TensorAssert
{
    /// <summary>max |actual − expected| ≤ tolerance, with equal shapes.</summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(",", actual.shape)}] differs from expected [{string.Join(",", expected.shape)}]");
        using var scope = NewDisposeScope();
        double diff = (actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(diff <= tolerance, $"{what}: max abs difference {diff:E3} exceeds {tolerance:E1}");
    }

    /// <summary>max |actual − expected| ≤ tolerance · max |expected|.</summary>
    public static void RelativelyClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        using var scope = NewDisposeScope();
        double scale = Math.Max(expected.to(ScalarType.Float64).abs().max().item<double>(), double.Epsilon);
        Close(expected, actual, tolerance * scale, what);
    }

    /// <summary>Integer tensors equal element for element.</summary>
    public static void Equal(long[] expected, Tensor actual, string what)
    {
        var values = actual.to(ScalarType.Int64).data<long>().ToArray();
        Assert.True(expected.SequenceEqual(values),
            $"{what}: expected [{string.Join(",", expected)}], got [{string.Join(",", values)}]");
    }
}
