using Matryoshka.Models.Blocks;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Matryoshka.Tests.Models;

/// <summary>The video layouts and the time resampling against element-by-element definitions.</summary>
public class TemporalLayoutTests
{
    [Fact]
    public void Frame_k_of_a_grid_is_the_cell_in_row_k_over_n_and_column_k_mod_n_and_the_grid_comes_back()
    {
        using var scope = NewDisposeScope();
        var grid = randn(new long[] { 2, 3, 3 * 4, 3 * 5 }, generator: new Generator(1));

        var frames = FrameLayout.GridToFrames(grid, 3);

        Assert.Equal(new long[] { 18, 3, 4, 5 }, frames.shape);
        for (int b = 0; b < 2; b++)
            for (int k = 0; k < 9; k++)
                TensorAssert.Close(grid[b, .., (k / 3 * 4)..(k / 3 * 4 + 4), (k % 3 * 5)..(k % 3 * 5 + 5)], frames[b * 9 + k], 0, $"sample {b} frame {k}");
        TensorAssert.Close(grid, FrameLayout.FramesToGrid(frames, 3), 0, "round trip");
    }

    [Theory]
    [InlineData(true, 4, 2)]
    [InlineData(true, 3, 2)]
    [InlineData(false, 2, 4)]
    public void The_time_resample_is_a_Conv1d_over_each_positions_frames(bool down, int frames, int expectedFrames)
    {
        var kind = down ? Resample.Down : Resample.Up;
        // 24 channels: a width that the convolution pads to 32 on the CPU (SafeConvolution), checked against float64.
        using var scope = NewDisposeScope();
        using var conv = new TemporalConvolution(24, kind, CPU, ScalarType.Float32);
        var x = randn(new long[] { 2 * frames, 24, 3, 2 }, generator: new Generator(2));
        var weight = conv.parameters().First().to(ScalarType.Float64);
        var bias = conv.parameters().Last().to(ScalarType.Float64);

        var actual = conv.call(x, frames);

        Assert.Equal(new long[] { 2 * expectedFrames, 24, 3, 2 }, actual.shape);
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < 3; h++)
                for (int w = 0; w < 2; w++)
                {
                    // The frames of sample b at (h, w) as one sequence [1, C, t].
                    var sequence = x[(b * frames)..((b + 1) * frames), .., h, w].t().unsqueeze(0).to(ScalarType.Float64);
                    if (kind == Resample.Up) sequence = sequence.repeat_interleave(2, dim: 2);
                    var expected = F.conv1d(sequence, weight, bias, stride: kind == Resample.Down ? 2 : 1, padding: 1)[0].t();
                    TensorAssert.Close(expected, actual[(b * expectedFrames)..((b + 1) * expectedFrames), .., h, w].to(ScalarType.Float64), 1e-5, $"sample {b} at ({h}, {w})");
                }
    }
}
