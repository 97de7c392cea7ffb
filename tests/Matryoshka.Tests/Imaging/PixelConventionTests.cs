using Matryoshka.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Imaging;

public class PixelConventionTests
{
    private static readonly float[] Values = [-1f, -0.5f, 0f, 0.3f, 0.5f, 1f, 1.2f, -1.5f, 0.7f, -0.003f];

    // ml-mdm: trunc(clamp(x*128+127, 0, 255)). −1 → −1 → 0; 0.3 → 165.4 → 165; 1.2 → 280.6 → 255;
    // 0.7 → 216.6 → 216 and −0.003 → 126.616 → 126 (truncation, not rounding).
    private static readonly byte[] MlMdmBytes = [0, 63, 127, 165, 191, 255, 255, 0, 216, 126];

    // diffusers: round_half_even(clamp(x/2+0.5, 0, 1)*255). 0 → 127.5 → 128; −0.5 → 63.75 → 64; 0.3 → 165.75 → 166;
    // 0.7 → 216.75 → 217; −0.003 → 127.1175 → 127.
    private static readonly byte[] StandardBytes = [0, 64, 128, 166, 191, 255, 255, 0, 217, 127];

    [Theory]
    [InlineData(PixelConvention.MlMdm)]
    [InlineData(PixelConvention.Standard)]
    public void Closed_form_values_map_to_the_expected_bytes(PixelConvention convention)
    {
        var expected = convention == PixelConvention.MlMdm ? MlMdmBytes : StandardBytes;
        using var scope = NewDisposeScope();
        // One row of pixels, the same value in every channel.
        var row = tensor(Values, ScalarType.Float32).reshape(1, 1, Values.Length).expand(3, 1, Values.Length);
        using var image = TensorImages.ToImage(row, convention);
        for (int x = 0; x < Values.Length; x++)
            Assert.Equal(new Rgb24(expected[x], expected[x], expected[x]), image[x, 0]);
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void Other_floating_dtypes_give_the_same_ml_mdm_bytes(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var row = tensor(Values, ScalarType.Float32).reshape(1, 1, Values.Length).expand(3, 1, Values.Length).to(dtype);
        using var image = TensorImages.ToImage(row, PixelConvention.MlMdm);
        for (int x = 0; x < Values.Length; x++)
            Assert.Equal(MlMdmBytes[x], image[x, 0].R);
    }

    [Fact]
    public void Channels_land_in_red_green_blue_order_and_rows_in_height_order()
    {
        using var scope = NewDisposeScope();
        // Channel c, row y, column x holds (c*100 + y*10 + x − 127)/128 so each byte is c*100 + y*10 + x.
        var codes = arange(3, ScalarType.Float32).reshape(3, 1, 1) * 100
            + arange(2, ScalarType.Float32).reshape(1, 2, 1) * 10
            + arange(4, ScalarType.Float32).reshape(1, 1, 4);
        using var image = TensorImages.ToImage((codes - 127) / 128, PixelConvention.MlMdm);
        Assert.Equal(4, image.Width);
        Assert.Equal(2, image.Height);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 4; x++)
                Assert.Equal(new Rgb24((byte)(y * 10 + x), (byte)(100 + y * 10 + x), (byte)(200 + y * 10 + x)), image[x, y]);
    }

    [Theory]
    [InlineData(PixelConvention.MlMdm)]
    [InlineData(PixelConvention.Standard)]
    public void Image_to_tensor_to_image_reproduces_random_bytes(PixelConvention convention)
    {
        using var original = TestImages.Random(37, 23, seed: 11);
        using var scope = NewDisposeScope();
        var values = TensorImages.ToTensor(original, CPU, convention);
        Assert.Equal(new long[] { 3, 23, 37 }, values.shape);
        Assert.Equal(ScalarType.Float32, values.dtype);
        using var back = TensorImages.ToImage(values, convention);
        Assert.Equal(TestImages.Pixels(original), TestImages.Pixels(back));
    }

    [Fact]
    public void Every_byte_survives_the_ml_mdm_round_trip_and_maps_to_its_closed_form_value()
    {
        var all = new byte[256 * 3];
        for (int i = 0; i < 256; i++)
            all[3 * i] = all[3 * i + 1] = all[3 * i + 2] = (byte)i;
        using var original = SixLabors.ImageSharp.Image.LoadPixelData<Rgb24>(all, 256, 1);
        using var scope = NewDisposeScope();
        var values = TensorImages.ToTensor(original, CPU, PixelConvention.MlMdm);
        var expected = (arange(256, ScalarType.Float32) - 127) / 128;
        Support.TensorAssert.Close(expected.reshape(1, 1, 256).expand(3, 1, 256), values, 0, "(b − 127)/128");
        Assert.Equal(-127f / 128, values[0, 0, 0].item<float>());
        Assert.Equal(1f, values[0, 0, 255].item<float>());
        using var back = TensorImages.ToImage(values, PixelConvention.MlMdm);
        Assert.Equal(all, TestImages.Pixels(back));
    }

    [Fact]
    public void Standard_normalisation_is_byte_over_127_5_minus_one()
    {
        using var image = TestImages.Random(5, 4, seed: 3);
        using var scope = NewDisposeScope();
        var values = TensorImages.ToTensor(image, CPU, PixelConvention.Standard);
        var raw = tensor(TestImages.Pixels(image), new long[] { 4, 5, 3 }, ScalarType.Byte).permute(2, 0, 1).to(ScalarType.Float32);
        Support.TensorAssert.Close(raw / 127.5 - 1, values, 1e-7, "byte/127.5 − 1");
    }

    [Fact]
    public void One_channel_is_replicated_to_gray_rgb()
    {
        using var scope = NewDisposeScope();
        var gray = tensor(new[] { -1f, 0f, 1f }, ScalarType.Float32).reshape(1, 1, 3);
        using var image = TensorImages.ToImage(gray, PixelConvention.MlMdm);
        Assert.Equal(new Rgb24(0, 0, 0), image[0, 0]);
        Assert.Equal(new Rgb24(127, 127, 127), image[1, 0]);
        Assert.Equal(new Rgb24(255, 255, 255), image[2, 0]);
    }

    [Fact]
    public void A_batch_gives_one_image_per_sample()
    {
        using var scope = NewDisposeScope();
        var batch = stack([full(3, 4, 6, -1f), full(3, 4, 6, 0f), full(3, 4, 6, 1f)]);
        var images = TensorImages.ToImages(batch, PixelConvention.MlMdm);
        try
        {
            Assert.Equal(3, images.Length);
            Assert.All(images, i => Assert.Equal((6, 4), (i.Width, i.Height)));
            Assert.Equal(0, images[0][5, 3].G);
            Assert.Equal(127, images[1][5, 3].G);
            Assert.Equal(255, images[2][5, 3].G);
        }
        finally
        {
            foreach (var image in images)
                image.Dispose();
        }
    }

    [Fact]
    public void Nan_values_are_refused()
    {
        using var scope = NewDisposeScope();
        var image = zeros(3, 2, 2);
        image[1, 1, 0] = float.NaN;
        var error = Assert.Throws<ImageTensorException>(() => TensorImages.ToImages(image));
        Assert.Contains("NaN", error.Message);
        Assert.IsAssignableFrom<MatryoshkaException>(error);
    }

    [Theory]
    [InlineData(new long[] { 4, 4 }, "[C, H, W] or [B, C, H, W]")]
    [InlineData(new long[] { 1, 1, 3, 4, 4 }, "[C, H, W] or [B, C, H, W]")]
    [InlineData(new long[] { 2, 4, 4 }, "1 or 3 channels")]
    [InlineData(new long[] { 2, 4, 4, 4 }, "1 or 3 channels")]
    [InlineData(new long[] { 3, 0, 4 }, "empty dimension")]
    public void Wrong_shapes_are_refused(long[] shape, string fragment)
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ImageTensorException>(() => TensorImages.ToImages(zeros(shape)));
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void Integer_tensors_are_refused()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ImageTensorException>(() => TensorImages.ToImages(zeros(new long[] { 3, 2, 2 }, ScalarType.Byte)));
        Assert.Contains("floating-point", error.Message);
    }

    [Fact]
    public void A_batch_of_several_is_not_a_single_image()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ImageTensorException>(() => TensorImages.ToImage(zeros(2, 3, 2, 2)));
        Assert.Contains("batch of 2", error.Message);
    }
}
