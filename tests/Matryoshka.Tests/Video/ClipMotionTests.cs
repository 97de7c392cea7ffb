using Matryoshka.Data.Emoji;
using Matryoshka.Training.Data;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Video;

/// <summary>Synthetic training clips: the motions against closed forms, and the prepared folder.</summary>
public class ClipMotionTests
{
    // A black 8×8 square in the middle of a white 32×32 image.
    private static Tensor Square()
    {
        var image = ones(3, 32, 32);
        image[.., 12..20, 12..20] = tensor(-1f);
        return image;
    }

    private static (double X, double Y) Centroid(Tensor frame)
    {
        var mass = (1 - frame.mean(new long[] { 0 })) / 2;   // white 0, black 1
        var ys = arange(32, dtype: ScalarType.Float32).view(32, 1);
        var xs = arange(32, dtype: ScalarType.Float32).view(1, 32);
        double total = mass.sum().item<float>();
        return ((mass * xs).sum().item<float>() / total, (mass * ys).sum().item<float>() / total);
    }

    [Theory]
    [InlineData(ClipMotion.Right, 1, 0)]
    [InlineData(ClipMotion.Left, -1, 0)]
    [InlineData(ClipMotion.Up, 0, -1)]
    [InlineData(ClipMotion.Down, 0, 1)]
    public void Slides_start_at_the_image_and_travel_three_eighths_of_the_frame(ClipMotion motion, int dx, int dy)
    {
        using var scope = NewDisposeScope();
        var image = Square();

        var clip = ClipMotions.Render(image, motion, 5);

        Assert.Equal(new long[] { 5, 3, 32, 32 }, clip.shape);
        TensorAssert.Close(image, clip[0], 1e-5, "frame 0");
        var (x0, y0) = Centroid(clip[0]);
        for (int k = 1; k < 5; k++)
        {
            var (x, y) = Centroid(clip[k]);
            double shift = ClipMotions.Travel * 32 * k / 4;   // 12 px at the last frame
            Assert.Equal(x0 + dx * shift, x, 1);
            Assert.Equal(y0 + dy * shift, y, 1);
        }
        Assert.Equal((dx, dy), ClipMotions.Direction(motion));
    }

    [Fact]
    public void Spinning_turns_a_quarter_every_quarter_clip_and_shrinking_halves_the_size()
    {
        using var scope = NewDisposeScope();
        // A black bar to the right of the centre: after a quarter turn clockwise (y down) it lies below the centre.
        var bar = ones(3, 32, 32);
        bar[.., 14..18, 18..28] = tensor(-1f);

        var spin = ClipMotions.Render(bar, ClipMotion.Spinning, 4);
        var shrink = ClipMotions.Render(Square(), ClipMotion.Shrinking, 3);

        var (x, y) = Centroid(spin[1]);
        Assert.Equal(16, x, 0);
        Assert.True(y > 20, $"the bar's centroid is at y = {y}, not below the centre");
        double Dark(Tensor frame) => ((1 - frame.mean(new long[] { 0 })) / 2).sum().item<float>();
        Assert.Equal(Dark(Square()) / 4, Dark(shrink[2]), 0);   // half the side: a quarter of the area
    }

    [Fact]
    public void The_clip_folder_holds_one_grid_per_emoji_and_motion_captioned_with_the_motion()
    {
        using var source = new TempFolder();
        using var output = new TempFolder();
        using (var scope = NewDisposeScope())
            ImageSharp.PngFiles.SaveAsPng(Square(), source.File("1f7e5.png"), PixelConvention.Standard);
        File.WriteAllLines(source.File("1f7e5.txt"), new[] { "a black square", "square" });

        int written = EmojiClipPreparation.Prepare(new EmojiClipOptions
        {
            SourceFolder = source.Path, OutputFolder = Path.Combine(output.Path, "clips"), FrameGrid = 2, FrameSize = 8,
            Motions = new[] { ClipMotion.Right, ClipMotion.Spinning },
        });

        Assert.Equal(2, written);
        using var grid = SixLabors.ImageSharp.Image.Load(Path.Combine(output.Path, "clips", "1f7e5-right.png"));
        Assert.Equal((16, 16), (grid.Width, grid.Height));   // 2 × 2 frames of 8²
        Assert.Equal(new[] { "a black square moving right", "square moving right" }, File.ReadAllLines(Path.Combine(output.Path, "clips", "1f7e5-right.txt")));
        var refused = Assert.Throws<EmojiPreparationException>(() => EmojiClipPreparation.Prepare(new EmojiClipOptions
        {
            SourceFolder = source.Path, OutputFolder = Path.Combine(output.Path, "clips"),
        }));
        Assert.Equal(nameof(EmojiClipOptions.OutputFolder), refused.Option);
        Assert.Equal(nameof(EmojiClipOptions.FrameSize), Assert.Throws<EmojiPreparationException>(() => EmojiClipPreparation.Prepare(new EmojiClipOptions
        {
            SourceFolder = source.Path, OutputFolder = Path.Combine(output.Path, "other"), FrameSize = 5,
        })).Option);
    }
}
