using Matryoshka.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using static TorchSharp.torch;

namespace Matryoshka.ImageSharp;

/// <summary>Saves the frames of a clip ([F, C, h, w], values in [−1, 1]) as an animated GIF or a PNG strip.</summary>
public static class ClipFiles
{
    /// <summary>The longest frame delay a GIF can hold, in milliseconds (a 16-bit count of hundredths).</summary>
    public const int MaxFrameDelayMilliseconds = ushort.MaxValue * 10;

    /// <summary>
    /// Writes the frames as an animated GIF that loops forever, <paramref name="frameDelayMilliseconds"/> per frame,
    /// each frame enlarged <paramref name="scale"/>× by pixel repetition (small frames stay sharp); replaces
    /// <paramref name="path"/> only once the whole file is written.
    /// </summary>
    /// <exception cref="ImageTensorException">The frames are not [F, C, h, w] with F ≥ 1, or hold NaN values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The delay is outside 10 ms … <see cref="MaxFrameDelayMilliseconds"/>, or the scale outside 1 … 16.</exception>
    public static void SaveAsGif(Tensor frames, string path, PixelConvention convention, int frameDelayMilliseconds = 250, int scale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameDelayMilliseconds, 10);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frameDelayMilliseconds, MaxFrameDelayMilliseconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, 16);
        var images = FrameImages(frames, convention, scale);
        try
        {
            using var animation = images[0].Clone();
            animation.Metadata.GetGifMetadata().RepeatCount = 0;
            animation.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = frameDelayMilliseconds / 10;
            foreach (var image in images.Skip(1))
            {
                var frame = animation.Frames.AddFrame(image.Frames.RootFrame);
                frame.Metadata.GetGifMetadata().FrameDelay = frameDelayMilliseconds / 10;
            }
            AtomicFile.Write(path, stream => animation.Save(stream, new GifEncoder()));
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }

    /// <summary>Writes the frames side by side, left to right in time order, as one 8-bit RGB PNG.</summary>
    /// <exception cref="ImageTensorException">The frames are not [F, C, h, w] with F ≥ 1, or hold NaN values.</exception>
    public static void SaveStripAsPng(Tensor frames, string path, PixelConvention convention)
    {
        ArgumentNullException.ThrowIfNull(frames);
        RequireFrames(frames);
        using var scope = NewDisposeScope();
        // [F, C, h, w] → [C, h, F·w]
        var strip = frames.permute(1, 2, 0, 3).reshape(frames.shape[1], frames.shape[2], frames.shape[0] * frames.shape[3]);
        PngFiles.SaveAsPng(strip, path, convention);
    }

    private static Image<Rgb24>[] FrameImages(Tensor frames, PixelConvention convention, int scale)
    {
        ArgumentNullException.ThrowIfNull(frames);
        RequireFrames(frames);
        var images = TensorImages.ToImages(frames, convention);
        if (scale > 1)
            foreach (var image in images)
                image.Mutate(x => x.Resize(image.Width * scale, image.Height * scale, KnownResamplers.NearestNeighbor));
        return images;
    }

    private static void RequireFrames(Tensor frames)
    {
        if (frames.dim() != 4 || frames.shape[0] < 1)
            throw new ImageTensorException($"A clip must be [F, C, h, w] with at least one frame; got [{string.Join(", ", frames.shape)}].");
    }
}
