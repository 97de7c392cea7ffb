using Matryoshka.Conditioning;
using Matryoshka.ImageSharp;
using Matryoshka.Pipelines;
using Matryoshka.Training.Data;
using static TorchSharp.torch;

namespace Matryoshka.Evaluation;

/// <summary>One row of a <see cref="VideoEvaluation"/>: how clips from one source score (means over the clips).</summary>
/// <param name="Source">"training clips", "video model" or "image model, frames sampled independently".</param>
/// <param name="Clips">Clips scored.</param>
/// <param name="DirectionMatch">Share of the translation clips whose centroid moved as the caption says (<see cref="ClipScores.MovesAs"/>).</param>
/// <param name="AgreeWithFirst">Mean share of frames whose nearest gallery emoji (by colours) is the first frame's.</param>
/// <param name="CorrectInTop5">Mean share of frames whose top-5 gallery emoji (by colours) hold the captioned one.</param>
public sealed record VideoEvaluationRow(string Source, int Clips, double DirectionMatch, double AgreeWithFirst, double CorrectInTop5);

/// <summary>
/// Scores a text-to-video model on captions of the synthetic emoji clips (<c>prepare-emoji-clips</c>): for each chosen
/// clip its caption ("a red apple moving right") is sampled by the video model and, as a baseline, by an image model
/// once per frame with independent seeds; the training clip itself gives the ceiling. Frames are compared with the
/// emoji stills by their colours (<see cref="ColourHistogramFeatureExtractor"/>, which motion leaves nearly unchanged).
/// </summary>
public static class VideoEvaluation
{
    /// <summary>Runs the evaluation; <paramref name="imageModel"/> may be null to skip the baseline.</summary>
    /// <param name="clipsFolder">The clip grids with their captions.</param>
    /// <param name="stillsFolder">The emoji stills the clips were made from (the retrieval gallery).</param>
    /// <param name="video">The video pipeline and the encoder of its captions.</param>
    /// <param name="imageModel">An image pipeline at the frame size and its encoder, or null.</param>
    /// <param name="clips">How many clips to score (every motion of ⌈clips / motions⌉ emoji, chosen with <paramref name="seed"/>).</param>
    /// <param name="seed">Chooses the emoji and seeds the sampling.</param>
    /// <param name="steps">Sampling steps, or null for the models' own.</param>
    /// <exception cref="EvaluationSettingsException">The folders hold no clips or stills, or the frame sizes do not fit.</exception>
    public static IReadOnlyList<VideoEvaluationRow> Run(string clipsFolder, string stillsFolder, (MatryoshkaPipeline Pipeline, ITextEncoder Encoder) video,
        (MatryoshkaPipeline Pipeline, ITextEncoder Encoder)? imageModel, int clips = 60, int seed = 0, int? steps = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clips, 1);
        int grid = video.Pipeline.Model.Levels[0].FrameGrid, side = video.Pipeline.Model.Levels[0].FrameResolution;
        if (grid < 2) throw new EvaluationSettingsException("the model to evaluate makes images, not clips");
        var chosen = Choose(clipsFolder, clips, seed);
        var (names, gallery) = Gallery(stillsFolder, side);
        var features = new ColourHistogramFeatureExtractor();
        var rows = new List<VideoEvaluationRow>();
        var sources = new List<(string Name, Func<Clip, int, Tensor> Frames)>
        {
            ("training clips", (clip, _) => Clips.Of(LoadGrid(clip.Path), grid)),
            ("video model", (clip, i) => Sample(video, clip.Caption, 1, seed + i, steps, r => r.Clip(0))),
        };
        if (imageModel is { } image)
            sources.Add(("image model, frames sampled independently", (clip, i) => Sample(image, clip.Caption, grid * grid, seed + i, steps, r => r.Images.clone())));
        foreach (var (name, frames) in sources)
        {
            var scores = chosen.Select((clip, i) =>
            {
                using var scope = NewDisposeScope();
                var clipFrames = frames(clip, i);
                if (clipFrames.shape[2] != side || clipFrames.shape[3] != side)
                    throw new EvaluationSettingsException($"{name}: frames are {clipFrames.shape[3]}×{clipFrames.shape[2]}, the video model's are {side}×{side}");
                var frameFeatures = features.Extract(PixelQuantizer.ToBytes(clipFrames, PixelConvention.Standard, "frames"));
                int correct = Array.IndexOf(names, clip.Emoji);
                var (agree, top5) = ClipScores.FrameRetrieval(frameFeatures, gallery, correct);
                return (Moves: ClipScores.MovesAs(clip.Motion, clipFrames), agree, top5);
            }).ToArray();
            var translations = scores.Where(s => s.Moves is not null).ToArray();
            rows.Add(new VideoEvaluationRow(name, scores.Length,
                translations.Length == 0 ? double.NaN : translations.Count(s => s.Moves == true) / (double)translations.Length,
                scores.Average(s => s.agree), scores.Average(s => s.top5)));
        }
        return rows;
    }

    private sealed record Clip(string Path, string Emoji, ClipMotion Motion, string Caption);

    private static Tensor Sample((MatryoshkaPipeline Pipeline, ITextEncoder Encoder) model, string caption, int count, int seed, int? steps, Func<GenerationResult, Tensor> take)
    {
        var captions = Enumerable.Repeat(caption, count).ToArray();
        using var result = model.Pipeline.Generate(new GenerationRequest
        {
            Conditioning = model.Encoder.Encode(captions, model.Pipeline.Device),
            NegativeConditioning = model.Encoder.Encode(new[] { "" }, model.Pipeline.Device),
            BatchSize = count,
            Steps = steps,
            Seeds = Enumerable.Range(0, count).Select(k => (ulong)(seed * 1000 + k)).ToArray(),
        });
        return take(result);
    }

    // Every motion of a seeded choice of emoji: clip files are named <emoji>-<motion>.png.
    private static Clip[] Choose(string folder, int count, int seed)
    {
        var motions = ClipMotions.All.ToDictionary(m => m.ToString().ToLowerInvariant(), m => m);
        var all = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.png").Order(StringComparer.Ordinal)
            .Select(path => (path, stem: System.IO.Path.GetFileNameWithoutExtension(path)))
            .Where(f => f.stem.LastIndexOf('-') > 0 && motions.ContainsKey(f.stem[(f.stem.LastIndexOf('-') + 1)..]) && File.Exists(System.IO.Path.ChangeExtension(f.path, ".txt")))
            .Select(f => new Clip(f.path, f.stem[..f.stem.LastIndexOf('-')], motions[f.stem[(f.stem.LastIndexOf('-') + 1)..]],
                File.ReadLines(System.IO.Path.ChangeExtension(f.path, ".txt")).First().Trim()))
            .ToArray() : [];
        if (all.Length == 0) throw new EvaluationSettingsException($"{folder} holds no clips (<emoji>-<motion>.png with a .txt caption)");
        var emoji = all.Select(c => c.Emoji).Distinct().ToArray();
        new Random(seed).Shuffle(emoji);
        var picked = emoji.Take((count + motions.Count - 1) / motions.Count).ToHashSet();
        return all.Where(c => picked.Contains(c.Emoji)).Take(count).ToArray();
    }

    private static (string[] Names, float[][] Features) Gallery(string folder, int side)
    {
        var stills = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.png").Order(StringComparer.Ordinal).ToArray() : [];
        if (stills.Length == 0) throw new EvaluationSettingsException($"{folder} holds no emoji stills");
        using var scope = NewDisposeScope();
        var decoder = new SafeImageDecoder();
        var images = stills.Select(path =>
        {
            using var image = decoder.Load(path);
            var still = TensorImages.ToTensor(image, convention: PixelConvention.Standard);
            if (still.shape[1] % side != 0) throw new EvaluationSettingsException($"{path}: {still.shape[1]} pixels do not pool to {side}");
            return nn.functional.avg_pool2d(still.unsqueeze(0), still.shape[1] / side);
        }).ToArray();
        var features = new ColourHistogramFeatureExtractor().Extract(PixelQuantizer.ToBytes(cat(images, 0), PixelConvention.Standard, "stills"));
        return (stills.Select(p => System.IO.Path.GetFileNameWithoutExtension(p)).ToArray(), features);
    }

    private static Tensor LoadGrid(string path)
    {
        using var image = new SafeImageDecoder().Load(path);
        return TensorImages.ToTensor(image, convention: PixelConvention.Standard);
    }
}
