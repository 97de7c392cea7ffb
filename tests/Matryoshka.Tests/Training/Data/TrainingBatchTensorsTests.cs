using Matryoshka.Training.Data;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training.Data;

public class TrainingBatchTensorsTests
{
    private static TrainingBatch Batch() => new(
        Enumerable.Range(0, 2 * 3 * 2 * 2).Select(i => i * 0.25f - 1).ToArray(), 2, 3, 2, 2, ["a", "b"], [4, 9], new DataPosition(0, 2));

    [Fact]
    public void Pixels_become_a_bchw_tensor_of_the_requested_dtype_that_owns_its_memory()
    {
        var batch = Batch();
        using var scope = NewDisposeScope();
        var values = batch.ToPixelTensor(CPU, ScalarType.Float64);
        Assert.Equal(new long[] { 2, 3, 2, 2 }, values.shape);
        Assert.Equal(ScalarType.Float64, values.dtype);
        Assert.Equal(-1.0, values[0, 0, 0, 0].item<double>());
        Assert.Equal(23 * 0.25 - 1, values[1, 2, 1, 1].item<double>());
        Assert.Equal(7 * 0.25 - 1, values[0, 1, 1, 1].item<double>()); // sample 0, channel 1, row 1, column 1 = element 7.

        var same = batch.ToPixelTensor(CPU, ScalarType.Float32);
        batch.Pixels[0] = 42;
        Assert.Equal(-1f, same[0, 0, 0, 0].item<float>());
    }

    [Fact]
    public void Labels_become_an_int64_vector_and_their_absence_is_reported()
    {
        using var scope = NewDisposeScope();
        var labels = Batch().ToLabelTensor(CPU);
        Assert.Equal(ScalarType.Int64, labels.dtype);
        Assert.Equal(new long[] { 4, 9 }, labels.data<long>().ToArray());
        Assert.Throws<InvalidOperationException>(() => (Batch() with { Labels = null }).ToLabelTensor(CPU));
    }

    [Fact]
    public void Integer_dtypes_and_inconsistent_batches_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Batch().ToPixelTensor(CPU, ScalarType.Int32));
        Assert.Throws<ArgumentException>(() => (Batch() with { Height = 3 }).ToPixelTensor(CPU, ScalarType.Float32));
    }
}
