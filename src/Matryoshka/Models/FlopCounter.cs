namespace Matryoshka.Models;

/// <summary>
/// Walks one level's forward pass as <see cref="NestedUNet"/> runs it, layer by layer, and tallies the FLOPs of
/// every convolution, linear layer and attention product (conventions in <see cref="ModelFlops"/>), and the values
/// those layers output, the measure <see cref="TrainingMemory.ActivationBytes"/> scales into activation memory.
/// </summary>
internal sealed class FlopCounter
{
    private readonly LevelPlan _level;
    private readonly int _textTokens;
    private long _convolutions;
    private long _linear;
    private long _attention;
    private long _outputs;

    private FlopCounter(LevelPlan level, int textTokens)
    {
        _level = level;
        _textTokens = textTokens;
    }

    /// <summary>The forward FLOPs of <paramref name="level"/>'s own UNet at batch 1 with <paramref name="textTokens"/> text tokens.</summary>
    public static LevelFlops Count(ModelPlan plan, LevelPlan level, int textTokens)
    {
        var counter = new FlopCounter(level, textTokens);
        counter.CountLevel(plan);
        return new LevelFlops { Level = level, Convolutions = counter._convolutions, Linear = counter._linear, Attention = counter._attention };
    }

    /// <summary>The values <paramref name="level"/>'s own UNet's layers output in one forward pass at batch 1.</summary>
    public static long OutputValues(ModelPlan plan, LevelPlan level, int textTokens)
    {
        var counter = new FlopCounter(level, textTokens);
        counter.CountLevel(plan);
        return counter._outputs;
    }

    private void CountLevel(ModelPlan plan)
    {
        var config = _level.Config;
        int temporal = _level.TemporalDim;
        int embeddings = 1 + _level.MicroConditioning.Count;   // the step's MLP and one per micro-conditioning key
        for (int e = 0; e < embeddings; e++)
        {
            Linear(1, temporal / 4, temporal);
            Linear(1, temporal, temporal);
        }
        if (plan.IsTextConditioned && _level.Index == plan.Innermost.Index) CountTextPath(config);

        var widths = config.ResolutionChannels;
        int n = widths.Count;
        // An image level halves its side per resolution; a video level keeps its frames' side and halves their number.
        bool video = _level.IsTemporal;
        long side = _level.FrameResolution;
        long frames = (long)_level.FrameGrid * _level.FrameGrid;
        int channels = widths[0];
        Convolution(plan.Config.InputChannels, channels, 3, side, frames);

        // Widths of the activations the down path keeps for the up path, in the order it produces them.
        var skips = new Stack<int>();
        skips.Push(channels);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < config.NumResnetsPerResolution[i]; j++)
            {
                ResNetWithAttention(channels, widths[i], side, i, frames);
                channels = widths[i];
                skips.Push(channels);
            }
            if (i == n - 1) continue;
            if (video)
            {
                frames = (frames + 1) / 2;
                TemporalConvolution(channels, side, frames);   // stride 2 over the frames
            }
            else
            {
                side /= 2;
                Convolution(channels, channels, 3, side);   // stride 2: the output is half the side
            }
            skips.Push(channels);
        }

        if (config.Inner is not null)
        {
            int innerWidth = config.Inner.ResolutionChannels[0];
            // On the grid of the frames left (T × T frames of the same side: the same number of outputs).
            if (!config.SkipInnerUNetInput) Convolution(channels, innerWidth, 3, side, frames);
            Convolution(innerWidth, channels, 3, side, frames);
        }
        else if (_level.HasMidBlocks)
        {
            ResNet(channels, channels, side);
            SpatialAttention(channels, side, _level.ConditioningDim);
            ResNet(channels, channels, side);
        }

        for (int i = n - 1; i >= 0; i--)
        {
            for (int j = 0; j <= config.NumResnetsPerResolution[i]; j++)
            {
                ResNetWithAttention(channels + skips.Pop(), widths[i], side, i, frames);
                channels = widths[i];
            }
            if (i == 0) continue;
            if (video)
            {
                frames *= 2;
                TemporalConvolution(channels, side, frames);   // after the nearest ×2 upsample over the frames
            }
            else
            {
                side *= 2;
                Convolution(channels, channels, 3, side);   // after the nearest ×2 upsample
            }
        }
        Convolution(channels, plan.Config.OutputChannels, 3, side, frames);
    }

    // Runs once, in the innermost level: optional projection and self-attention over the text, then the pooled
    // text through cond_emb (pooling itself is a mean).
    private void CountTextPath(UNetConfig config)
    {
        int width = _level.ConditioningDim;
        if (_level.HasLmProj) Linear(_textTokens, _level.ConditioningInputDim, width);
        for (int layer = 0; layer < config.NumLmHeadLayers; layer++)
        {
            Linear(_textTokens, width, 3L * width);
            AttentionProducts(_textTokens, _textTokens, width);
            Linear(_textTokens, width, width);
            Linear(_textTokens, width, 4L * width);
            Linear(_textTokens, 4L * width, width);
        }
        Linear(1, width, _level.TemporalDim);
    }

    private void ResNetWithAttention(int inChannels, int outChannels, long side, int resolutionIndex, long frames = 1)
    {
        ResNet(inChannels, outChannels, side, frames);
        var config = _level.Config;
        if (config.AttentionLevels.Contains(resolutionIndex))
            for (int layer = 0; layer < config.NumAttentionLayers[resolutionIndex]; layer++)
                SpatialAttention(outChannels, side, _level.ConditioningDim, frames);
        for (int layer = 0; layer < _level.TemporalAttentionLayers(resolutionIndex); layer++)
            TemporalAttention(outChannels, side, frames);
    }

    // The time modulation is computed once per sample and shared by its frames.
    private void ResNet(int inChannels, int outChannels, long side, long frames = 1)
    {
        Convolution(inChannels, outChannels, 3, side, frames);
        Linear(1, _level.TemporalDim, 2L * outChannels);
        Convolution(outChannels, outChannels, 3, side, frames);
        if (inChannels != outChannels) Convolution(inChannels, outChannels, 1, side, frames);
    }

    private void SpatialAttention(long channels, long side, int conditioningDim, long frames = 1)
    {
        long positions = side * side;
        Convolution(channels, 3 * channels, 1, side, frames);
        AttentionProducts(positions, positions, channels, frames);
        if (conditioningDim > 0)
        {
            Linear(_textTokens, conditioningDim, 2 * channels);
            AttentionProducts(positions, _textTokens, channels, frames);
        }
        Convolution(channels, channels, 1, side, frames);
        if (_level.Config.ResNet.UseAttentionFfn)
        {
            Convolution(channels, 4 * channels, 1, side, frames);
            Convolution(4 * channels, channels, 1, side, frames);
        }
    }

    // ml-mdm's TemporalAttentionBlock: halve each frame, attend over the frames at each of the (side/2)² positions,
    // MLP, restore the frame size.
    private void TemporalAttention(long channels, long side, long frames)
    {
        long half = (side + 1) / 2, positions = half * half, tokens = frames * positions;
        Convolution(channels, channels, 3, half, frames);
        Linear(tokens, channels, 3 * channels);
        AttentionProducts(frames, frames, channels, positions);
        Linear(tokens, channels, channels);
        Linear(tokens, channels, 4 * channels);
        Linear(tokens, 4 * channels, channels);
        Convolution(channels, channels, 3, side, frames);
    }

    private void Convolution(long inChannels, long outChannels, int kernel, long outputSide, long images = 1)
    {
        _convolutions = checked(_convolutions + 2 * inChannels * outChannels * kernel * kernel * outputSide * outputSide * images);
        _outputs = checked(_outputs + outChannels * outputSide * outputSide * images);
    }

    // A kernel-3 Conv1d over the frames at every position of a frame, giving outputFrames frames.
    private void TemporalConvolution(long channels, long side, long outputFrames)
    {
        _convolutions = checked(_convolutions + 2 * channels * channels * 3 * outputFrames * side * side);
        _outputs = checked(_outputs + channels * outputFrames * side * side);
    }

    private void Linear(long tokens, long inFeatures, long outFeatures)
    {
        _linear = checked(_linear + 2 * tokens * inFeatures * outFeatures);
        _outputs = checked(_outputs + tokens * outFeatures);
    }

    // Q·Kᵀ and softmax(·)·V over all heads: 2·queries·keys·width each. Only the queries·width output counts as
    // activations: libtorch's fused (flash) CPU attention keeps no queries×keys matrix for the backward pass, and the
    // calibration (emoji-64, attention at 16²) agrees.
    private void AttentionProducts(long queries, long keys, long width, long sequences = 1)
    {
        _attention = checked(_attention + 2 * (2 * queries * keys * width) * sequences);
        _outputs = checked(_outputs + queries * width * sequences);
    }
}
