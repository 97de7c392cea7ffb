using Matryoshka.Evaluation;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Matryoshka.Tests.Evaluation;

public class ResNet18FeaturesTests
{
    private static readonly string Emoji = Path.Combine(AppContext.BaseDirectory, "samples", "emoji-mini");

    // An emoji as RGB planes, optionally brightened by a constant.
    private static byte[] Planes(string file, int brighten = 0)
    {
        using var image = Image.Load<Rgb24>(Path.Combine(Emoji, file));
        var planes = new byte[3 * image.Width * image.Height];
        int plane = image.Width * image.Height;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                var p = image[x, y];
                int i = y * image.Width + x;
                (planes[i], planes[plane + i], planes[2 * plane + i]) = (Clamp(p.R + brighten), Clamp(p.G + brighten), Clamp(p.B + brighten));
            }
        return planes;
        static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);
    }

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b, (x, y) => (double)x * y).Sum() / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(y => (double)y * y));

    [Fact]
    public void Features_are_512_wide_deterministic_and_closer_for_a_brightened_copy_than_for_another_emoji()
    {
        using var features = new ResNet18Features();
        var apple = Planes("1f34e.png");
        var images = apple.Concat(Planes("1f34e.png", brighten: 20)).Concat(Planes("1f319.png")).ToArray();

        var result = features.Extract(images, 3, 64, 64);
        Assert.Equal(3, result.Length);
        Assert.All(result, row => Assert.Equal(ResNet18Features.Dimension, row.Length));
        Assert.All(result, row => Assert.All(row, value => Assert.True(float.IsFinite(value) && value >= 0))); // after ReLU and pooling
        Assert.Equal(result[0], features.Extract(apple, 1, 64, 64)[0]);
        Assert.True(Cosine(result[0], result[1]) > Cosine(result[0], result[2]) + 0.1,
            $"apple~bright apple {Cosine(result[0], result[1]):F3}, apple~moon {Cosine(result[0], result[2]):F3}");
    }

    [Fact]
    public void The_preprocessing_graph_takes_rgb_planes_and_hands_the_network_bgr_minus_a_mean_image()
    {
        using var graph = ResNet18Features.Preprocessing(ResNet18Features.DefaultFolder);
        int plane = ResNet18Features.InputSize * ResNet18Features.InputSize;
        var black = graph.Run(new float[3 * plane]);
        var red = new float[3 * plane];
        Array.Fill(red, 255f, 0, plane); // input plane 0 = red
        var output = graph.Run(red);
        for (int p = 0; p < 3 * plane; p += 997)
            Assert.Equal(p >= 2 * plane ? 255f : 0f, output[p] - black[p], 3); // only the last (red, in BGR) plane moves
        Assert.Equal(-103.1, black.Take(plane).Average(), 1); // ImageNet's blue mean comes first
        Assert.Equal(-123.2, black.Skip(2 * plane).Average(), 1);
    }

    [Fact]
    public void Missing_model_files_and_wrong_pixel_counts_are_refused()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<EvaluationModelException>(() => new ResNet18Features(new ResNet18FeaturesOptions { ModelFolder = folder.Path }));
        Assert.Contains("ResNetPreprocess.onnx", error.Message);

        using var features = new ResNet18Features();
        Assert.Throws<ArgumentException>(() => features.Extract(new byte[3 * 64 * 64 - 1], 1, 64, 64));
    }

    [Fact]
    public void Bilinear_upscaling_keeps_constants_and_reproduces_a_linear_ramp_inside_the_edges()
    {
        var constant = Enumerable.Repeat(7f, 4 * 4).ToArray();
        var target = new float[14 * 14];
        BilinearResize.Planes(constant, 1, 4, 4, target, 14, 14);
        // PyTorch sums four weight products (whose float32 sum may miss 1 by an ulp), not two lerps: 7 → 7.0000005.
        Assert.All(target, v => Assert.Equal(7f, v, 1e-6f));

        // f(x) = 3x on source pixel centres 0…7; a target pixel centre maps to source coordinate (i + 0.5)·8/28 − 0.5.
        var ramp = Enumerable.Range(0, 8 * 8).Select(i => 3f * (i % 8)).ToArray();
        var wide = new float[28 * 28];
        BilinearResize.Planes(ramp, 1, 8, 8, wide, 28, 28);
        for (int i = 2; i < 26; i++) // inside the clamped half-pixel border
            Assert.Equal(3 * ((i + 0.5) * 8 / 28 - 0.5), wide[5 * 28 + i], 4);
        Assert.Equal(0f, wide[0]);
        Assert.Equal(21f, wide[27]);
    }

    [Fact]
    public void Doubling_two_by_two_gives_the_half_pixel_bilinear_values_written_out_by_hand()
    {
        // Target centres 0…3 sit at source coordinates −0.25 (clamped to 0), 0.25, 0.75, 1.25 (past the last centre:
        // the edge value), so each axis is [a, b] → [a, ¾a + ¼b, ¼a + ¾b, b], the same in the old per-pixel code.
        // Two channels: each is resized on its own.
        float[] source = [0, 4, 8, 16, /* second channel */ 1, 1, 1, 1];
        float[] row0 = [0, 1, 3, 4], row3 = [8, 10, 14, 16];
        float[] expected =
        [
            .. row0,
            .. row0.Zip(row3, (top, bottom) => 0.75f * top + 0.25f * bottom),
            .. row0.Zip(row3, (top, bottom) => 0.25f * top + 0.75f * bottom),
            .. row3,
            .. Enumerable.Repeat(1f, 16),
        ];
        var target = new float[2 * 4 * 4];
        BilinearResize.Planes(source, 2, 2, 2, target, 4, 4);
        Assert.Equal(expected, target);
        Assert.Equal([0, 1, 3, 4, 2, 3.25f, 5.75f, 7], target[..8]);
    }

    [Fact]
    public void Halving_averages_neighbouring_pairs_without_antialiasing()
    {
        // Target centres 0 and 1 sit at source coordinates 0.5 and 2.5: the midpoints of pixel pairs.
        float[] source = [0, 2, 4, 8, 10, 20, 30, 40, 1, 1, 1, 1, 5, 5, 5, 5];
        var target = new float[2 * 2];
        BilinearResize.Planes(source, 1, 4, 4, target, 2, 2);
        Assert.Equal([(0 + 2 + 10 + 20) / 4f, (4 + 8 + 30 + 40) / 4f, 3, 3], target);
    }
}
