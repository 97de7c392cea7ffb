using System.Globalization;
using Matryoshka.ImageSharp;
using Matryoshka.Pipelines;
using Matryoshka.Training.Data;
using static TorchSharp.torch;

namespace Matryoshka.Data.Emoji;

/// <summary>
/// Writes synthetic text-to-video training clips from a prepared emoji folder: every emoji under every motion of
/// <see cref="EmojiClipOptions.Motions"/> (<see cref="ClipMotions.Render"/>: frame 0 is the emoji as it is), frames
/// area-averaged to <see cref="EmojiClipOptions.FrameSize"/> and laid out as an S × S grid PNG (frame k in row k / S,
/// column k % S), captioned "&lt;caption&gt; &lt;motion&gt;" for each caption line of the emoji.
/// </summary>
public static class EmojiClipPreparation
{
    /// <summary>Makes the clips; returns how many were written.</summary>
    /// <exception cref="EmojiPreparationException">An option is invalid, the source holds no emoji, or the output folder holds other files.</exception>
    public static int Prepare(EmojiClipOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var sources = Directory.GetFiles(options.SourceFolder, "*.png").Order(StringComparer.Ordinal)
            .Where(p => File.Exists(Path.ChangeExtension(p, ".txt"))).Take(options.Limit ?? int.MaxValue).ToArray();
        if (sources.Length == 0)
            throw new EmojiPreparationException(nameof(options.SourceFolder), $" {options.SourceFolder} holds no PNG with a .txt caption beside it");
        Directory.CreateDirectory(options.OutputFolder);
        var decoder = new SafeImageDecoder();
        int frames = options.FrameGrid * options.FrameGrid, written = 0;
        foreach (var source in sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            Tensor still;
            using (var image = decoder.Load(source)) still = TensorImages.ToTensor(image, convention: PixelConvention.Standard);
            if (still.shape[1] != still.shape[2] || still.shape[1] % options.FrameSize != 0)
                throw new EmojiPreparationException(nameof(options.FrameSize), $" {options.FrameSize} does not divide the {still.shape[2]}×{still.shape[1]} image {source}");
            var captions = File.ReadAllLines(Path.ChangeExtension(source, ".txt")).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            foreach (var motion in options.Motions)
            {
                var clip = nn.functional.avg_pool2d(ClipMotions.Render(still, motion, frames), still.shape[1] / options.FrameSize);
                string stem = Path.Combine(options.OutputFolder, string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetFileNameWithoutExtension(source)}-{motion.ToString().ToLowerInvariant()}"));
                PngFiles.SaveAsPng(Clips.ToGrid(clip.clamp(-1, 1)), stem + ".png", PixelConvention.Standard);
                File.WriteAllLines(stem + ".txt", captions.Select(c => $"{c} {ClipMotions.Phrase(motion)}"));
                written++;
            }
            progress?.Report(written);
        }
        var notice = Path.Combine(options.SourceFolder, "NOTICE");
        if (File.Exists(notice)) File.Copy(notice, Path.Combine(options.OutputFolder, "NOTICE"), overwrite: true);
        return written;
    }

    private static void Validate(EmojiClipOptions options)
    {
        if (options.FrameGrid is < 2 or > 8)
            throw new EmojiPreparationException(nameof(options.FrameGrid), $" must be between 2 and 8; got {options.FrameGrid}");
        if (options.FrameSize is < 4 or > 256)
            throw new EmojiPreparationException(nameof(options.FrameSize), $" must be between 4 and 256; got {options.FrameSize}");
        if (options.Limit is <= 0)
            throw new EmojiPreparationException(nameof(options.Limit), $" must be positive; got {options.Limit}");
        if (options.Motions is not { Count: > 0 } || options.Motions.Distinct().Count() != options.Motions.Count)
            throw new EmojiPreparationException(nameof(options.Motions), " must list at least one motion, each once");
        if (!Directory.Exists(options.SourceFolder))
            throw new EmojiPreparationException(nameof(options.SourceFolder), $" {options.SourceFolder} is not a folder");
        if (Directory.Exists(options.OutputFolder) && Directory.EnumerateFileSystemEntries(options.OutputFolder).Any())
            throw new EmojiPreparationException(nameof(options.OutputFolder), $" {options.OutputFolder} already holds files; give a new or empty folder");
    }
}
