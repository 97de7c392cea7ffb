using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.ImageSharp;

/// <summary>Conversions between model tensors (values in [−1, 1]) and 8-bit RGB images.</summary>
public static class TensorImages
{
    /// <summary>
    /// One image per sample of <paramref name="images"/>: a [C, H, W] or [B, C, H, W] floating tensor
    /// (C = 1 or 3, any device) with values in [−1, 1]. One channel is replicated to gray RGB.
    /// </summary>
    /// <exception cref="ImageTensorException">Wrong shape or dtype, or NaN values.</exception>
    public static Image<Rgb24>[] ToImages(Tensor images, PixelConvention convention = PixelConvention.MlMdm)
    {
        using var scope = NewDisposeScope();
        var bytes = PixelQuantizer.ToBytes(images, convention);
        var result = new Image<Rgb24>[bytes.shape[0]];
        for (int b = 0; b < result.Length; b++)
            result[b] = FromChwBytes(bytes[b]);
        return result;
    }

    /// <summary>The single image of a [C, H, W] or [1, C, H, W] tensor; see <see cref="ToImages"/>.</summary>
    /// <exception cref="ImageTensorException">Wrong shape or dtype, more than one sample, or NaN values.</exception>
    public static Image<Rgb24> ToImage(Tensor image, PixelConvention convention = PixelConvention.MlMdm)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.dim() == 4 && image.shape[0] != 1)
            throw new ImageTensorException(
                $"Expected one image but the tensor holds a batch of {image.shape[0]}; use ToImages or a grid.");
        return ToImages(image, convention)[0];
    }

    /// <summary>
    /// The float32 [3, H, W] tensor of <paramref name="image"/> on <paramref name="device"/> (CPU when
    /// null), values in [−1, 1] by <paramref name="convention"/>. The caller owns the tensor.
    /// </summary>
    public static Tensor ToTensor(Image<Rgb24> image, Device? device = null,
        PixelConvention convention = PixelConvention.MlMdm)
    {
        ArgumentNullException.ThrowIfNull(image);
        var pixels = new byte[checked(image.Width * image.Height * 3)];
        image.CopyPixelDataTo(pixels);
        using var scope = NewDisposeScope();
        var hwc = torch.tensor(pixels, new long[] { image.Height, image.Width, 3 }, ScalarType.Byte, CPU);
        var chw = hwc.permute(2, 0, 1);
        return PixelQuantizer.FromBytes(chw, device ?? CPU, convention).MoveToOuterDisposeScope();
    }

    /// <summary>An image from a CPU uint8 [3, H, W] tensor; pixel memory is HWC interleaved.</summary>
    internal static Image<Rgb24> FromChwBytes(Tensor chw)
    {
        using var scope = NewDisposeScope();
        var hwc = chw.permute(1, 2, 0).contiguous();
        return Image.LoadPixelData<Rgb24>(hwc.bytes, (int)hwc.shape[1], (int)hwc.shape[0]);
    }
}
