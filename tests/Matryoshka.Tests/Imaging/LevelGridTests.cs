using Matryoshka.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Imaging;

public class LevelGridTests
{
    [Fact]
    public void Grid_has_one_row_per_sample_and_one_column_per_level_with_spacing()
    {
        using var scope = NewDisposeScope();
        Tensor[] levels = [zeros(2, 3, 16, 16), zeros(2, 3, 8, 8), zeros(2, 3, 4, 4)];
        using var grid = LevelGrid.Compose(levels, spacing: 2);
        Assert.Equal(3 * 16 + 2 * 2, grid.Width);
        Assert.Equal(2 * 16 + 1 * 2, grid.Height);
        // The gap between columns and rows keeps the background.
        Assert.Equal(new Rgb24(255, 255, 255), grid[16, 0]);
        Assert.Equal(new Rgb24(255, 255, 255), grid[0, 17]);
        Assert.Equal(new Rgb24(127, 127, 127), grid[0, 18]);
    }

    [Fact]
    public void Low_resolution_level_appears_enlarged_by_nearest_neighbour()
    {
        using var scope = NewDisposeScope();
        // Level 1 is 2×2 with distinct bytes per pixel; each must cover a 4×4 block of its 8×8 cell.
        var high = zeros(1, 3, 8, 8);
        var lowBytes = tensor(new float[] { 10, 20, 30, 40 }).reshape(1, 1, 2, 2).expand(1, 3, 2, 2);
        var low = (lowBytes - 127) / 128;
        const int spacing = 1;
        using var grid = LevelGrid.Compose([high, low], PixelConvention.MlMdm, spacing);

        int left = 8 + spacing;
        (int X, int Y, byte Value)[] probes =
        [
            (0, 0, 10), (3, 3, 10), (4, 0, 20), (7, 3, 20),
            (0, 4, 30), (3, 7, 30), (4, 4, 40), (7, 7, 40),
        ];
        foreach (var (x, y, value) in probes)
            Assert.Equal(new Rgb24(value, value, value), grid[left + x, y]);
        Assert.Equal(new Rgb24(127, 127, 127), grid[7, 7]);
    }

    [Fact]
    public void Rows_follow_samples()
    {
        using var scope = NewDisposeScope();
        var high = stack([full(3, 4, 4, -1f), full(3, 4, 4, 1f)]);
        var low = stack([full(3, 2, 2, 1f), full(3, 2, 2, -1f)]);
        using var grid = LevelGrid.Compose([high, low]);
        Assert.Equal((8, 8), (grid.Width, grid.Height));
        Assert.Equal(0, grid[0, 0].R);
        Assert.Equal(255, grid[4, 0].R);
        Assert.Equal(255, grid[0, 4].R);
        Assert.Equal(0, grid[7, 7].R);
    }

    [Fact]
    public void Mismatched_batches_are_refused()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ImageTensorException>(() => LevelGrid.Compose([zeros(2, 3, 8, 8), zeros(1, 3, 4, 4)]));
        Assert.Contains("level 0 holds 2", error.Message);
    }

    [Fact]
    public void Sides_that_do_not_divide_are_refused()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ImageTensorException>(() => LevelGrid.Compose([zeros(1, 3, 8, 8), zeros(1, 3, 3, 3)]));
        Assert.Contains("integer factor", error.Message);
    }

    [Fact]
    public void No_levels_is_refused()
    {
        Assert.Throws<ImageTensorException>(() => LevelGrid.Compose([]));
    }
}
