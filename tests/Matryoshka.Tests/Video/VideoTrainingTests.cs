using Matryoshka.Diffusion;
using Matryoshka.Models;
using Matryoshka.Pipelines;
using Matryoshka.Schedules;
using Matryoshka.Tests.Support;
using Matryoshka.Tests.Training;
using Matryoshka.Training;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Video;

/// <summary>The multi-resolution loss, the trainer and growth on video models (frames laid out as a grid).</summary>
public class VideoTrainingTests
{
    // A 2 × 2 grid of 8² frames (16²) around a plain 8² image stage: 4 frames per clip.
    internal static ModelConfig TinyVideo() => NestedUNetBuilder.Create()
        .AddStage(8, s => s.Channels(32).ResNets(1).Attention(0).TextProjection(32).ResNet(groups: 8))
        .AddStage(16, s => s.Channels(32, 32, 32).ResNets(1).ResNet(groups: 8).Video(1, 1, 0))
        .WithTextEmbeddingDim(TinyTraining.TextWidth)
        .Build();

    [Fact]
    public void Below_a_video_level_the_target_is_every_kth_frame_as_a_smaller_grid()
    {
        using var scope = NewDisposeScope();
        // 16 frames of 2×3 pixels in a 4 × 4 grid, frame k filled with the value k.
        var frames = arange(16, dtype: ScalarType.Float32).view(16, 1, 1, 1).expand(16, 3, 2, 3);
        var grid = Clips.ToGrid(frames).unsqueeze(0);

        var kept = ImagePyramid.KeyFrames(grid, 4, 2);
        var first = ImagePyramid.KeyFrames(grid, 4, 1);

        Assert.Equal(new long[] { 1, 3, 4, 6 }, kept.shape);
        TensorAssert.Close(Clips.ToGrid(frames.index_select(0, tensor(new long[] { 0, 4, 8, 12 }))).unsqueeze(0), kept, 0, "frames 0, 4, 8, 12");
        TensorAssert.Close(frames[0].unsqueeze(0), first, 0, "frame 0");
    }

    [Fact]
    public void The_pyramid_of_a_video_model_gives_its_inner_image_level_the_first_frame()
    {
        using var scope = NewDisposeScope();
        var plan = TinyVideo().Plan();
        var clips = TinyTraining.Images(2, 3);   // [2, 3, 16, 16]: 2 × 2 grids of 8² frames

        var pyramid = ImagePyramid.Build(clips, plan.Resolutions, plan.Levels.Select(l => l.FrameGrid).ToArray());

        Assert.Equal(new[] { 16, 8 }, plan.Resolutions);
        TensorAssert.Close(clips, pyramid[0], 0, "level 0");
        TensorAssert.Close(clips[.., .., ..8, ..8], pyramid[1], 0, "level 1: frame 0");
    }

    [Fact]
    public void Training_steps_on_clips_reach_the_temporal_layers_and_lower_the_loss_on_a_fixed_batch()
    {
        using var model = new NestedUNet(TinyVideo());
        var schedule = new MultiResolutionSchedule(NoiseSchedules.CosineCapped(1000), model.Plan.Resolutions);
        using var trainer = new Trainer(model, schedule, new TrainerOptions { LearningRate = 2e-3, Seed = 1 });
        using var scope = NewDisposeScope();
        var clips = TinyTraining.Images(4, 5);
        var text = TinyTraining.Text(4, 6);
        var before = model.state_dict()["down_blocks.0.t_attn.0.attn.qkv.weight"].detach().clone();
        var resampleBefore = model.state_dict()["up_blocks.1.resample.weight"].detach().clone();

        var losses = Enumerable.Range(0, 30).Select(_ => trainer.Step(clips, text).Loss).ToArray();

        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.False(before.Identical(model.state_dict()["down_blocks.0.t_attn.0.attn.qkv.weight"]), "temporal attention untouched");
        Assert.False(resampleBefore.Identical(model.state_dict()["up_blocks.1.resample.weight"]), "time resample untouched");
        Assert.True(losses[^5..].Average() < losses[..5].Average(), $"loss {losses[..5].Average()} → {losses[^5..].Average()}");
    }

    [Fact]
    public void A_video_model_grown_from_an_image_model_first_reproduces_it_and_its_temporal_layers_start_as_identity()
    {
        using var scope = NewDisposeScope();
        // The image model is the tiny video model's inner stage on its own (a plain 8² text-to-image UNet).
        var imageConfig = NestedUNetBuilder.Create()
            .AddStage(8, s => s.Channels(32).ResNets(1).Attention(0).TextProjection(32).ResNet(groups: 8))
            .WithTextEmbeddingDim(TinyTraining.TextWidth).Build();
        using var image = new NestedUNet(imageConfig);
        RandomWeights.Fill(image, seed: 9);
        using var video = ModelGrowth.Grow(image, TinyVideo());
        video.eval();
        image.eval();
        var generator = new Generator(10);
        var clips = randn(new long[] { 2, 3, 16, 16 }, generator: generator);
        var frame = randn(new long[] { 2, 3, 8, 8 }, generator: generator);
        var text = TinyTraining.Text(2, 11);
        var t = tensor(new long[] { 100, 700 });

        using var inference = inference_mode();
        var grown = video.Forward(new[] { clips, frame }, t, text.Embeddings, text.Mask);
        var alone = image.Forward(new[] { frame }, t, text.Embeddings, text.Mask);

        TensorAssert.Close(alone[0], grown[1], 0, "the image level");
        TensorAssert.Close(zeros_like(clips), grown[0], 0, "the new video level starts at zero output");
        foreach (var (name, block) in video.named_modules().Where(m => m.name.Contains(".t_attn.") && m.name.Count(c => c == '.') == 3))
        {
            var x = randn(new long[] { 8, 32, 8, 8 }, generator: generator);
            TensorAssert.Close(x, ((TorchSharp.torch.nn.Module<Tensor, long, Tensor>)block).call(x, 4), 0, name);
        }
    }
}
