using Matryoshka.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.ImageSharp;

/// <summary>Turns model values in [−1, 1] into pixel bytes, and pixel bytes back into model values.</summary>
public static class PixelQuantizer
{
    /// <summary>
    /// Validates <paramref name="images"/> ([C, H, W] or [B, C, H, W], C ∈ {1, 3}, floating, no NaN) and
    /// returns a new uint8 [B, 3, H, W] tensor on the CPU. One channel is replicated to RGB.
    /// </summary>
    public static Tensor ToBytes(Tensor images, PixelConvention convention, string what = "image tensor")
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        var batch = AsBatch(images, what);
        if (batch.isnan().any().item<bool>())
            throw new ImageTensorException($"The {what} contains NaN values; refusing to write an image from it.");

        // float64 input keeps its precision so truncation sees the exact product; everything else is
        // lifted to float32, where x·128 + 127 is exact for float16/bfloat16 inputs.
        var work = batch.dtype == ScalarType.Float64 ? batch : batch.to(ScalarType.Float32);
        var scaled = convention switch
        {
            // ml-mdm: (x*128+127).clamp(0,255).to(uint8); the cast truncates toward zero.
            PixelConvention.MlMdm => (work * 128 + 127).clamp(0, 255).trunc(),
            // diffusers: (x/2+0.5).clamp(0,1), then *255 and round half to even.
            PixelConvention.Standard => ((work / 2 + 0.5).clamp(0, 1) * 255).round(),
            _ => throw new ArgumentOutOfRangeException(nameof(convention), convention, "Unknown pixel convention."),
        };
        var bytes = scaled.to(ScalarType.Byte).to(CPU);
        if (bytes.shape[1] == 1)
            bytes = bytes.expand(-1, 3, -1, -1);
        return bytes.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Model values (float32, on <paramref name="device"/>) of a uint8 tensor: each byte is looked up in the core
    /// library's table for the convention (<see cref="PixelNormalizations"/>), the one place that arithmetic lives.
    /// </summary>
    public static Tensor FromBytes(Tensor bytes, Device device, PixelConvention convention)
    {
        var table = PixelNormalizations.Table(convention.ToNormalization());
        using var scope = NewDisposeScope();
        var lookup = torch.tensor(table, ScalarType.Float32, device);
        var indices = bytes.to(device).to(ScalarType.Int64);
        return lookup.take(indices).MoveToOuterDisposeScope();
    }

    /// <summary>A [B, C, H, W] view of a [C, H, W] or [B, C, H, W] image tensor, after shape and dtype checks.</summary>
    private static Tensor AsBatch(Tensor images, string what)
    {
        var shape = images.shape;
        string shown = $"[{string.Join(", ", shape)}]";
        if (shape.Length is not (3 or 4))
            throw new ImageTensorException($"The {what} must be [C, H, W] or [B, C, H, W]; got shape {shown}.");
        long channels = shape[^3];
        if (channels is not (1 or 3))
            throw new ImageTensorException($"The {what} must have 1 or 3 channels; got shape {shown}.");
        if (shape[^1] < 1 || shape[^2] < 1 || shape[0] < 1)
            throw new ImageTensorException($"The {what} has an empty dimension; got shape {shown}.");
        if (shape[^1] > int.MaxValue || shape[^2] > int.MaxValue)
            throw new ImageTensorException($"The {what} is too large for an image; got shape {shown}.");
        if (!torch.is_floating_point(images))
            throw new ImageTensorException($"The {what} must be a floating-point tensor with values in [−1, 1]; got {images.dtype}.");
        return shape.Length == 3 ? images.unsqueeze(0) : images.alias();
    }
}
