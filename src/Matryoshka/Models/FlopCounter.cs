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
        long side = _level.Resolution;
        int channels = widths[0];
        Convolution(plan.Config.InputChannels, channels, 3, side);

        // Widths of the activations the down path keeps for the up path, in the order it produces them.
        var skips = new Stack<int>();
        skips.Push(channels);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < config.NumResnetsPerResolution[i]; j++)
            {
                ResNetWithAttention(channels, widths[i], side, i);
                channels = widths[i];
                skips.Push(channels);
            }
            if (i == n - 1) continue;
            side /= 2;
            Convolution(channels, channels, 3, side);   // stride 2: the output is half the side
            skips.Push(channels);
        }

        if (config.Inner is not null)
        {
            int innerWidth = config.Inner.ResolutionChannels[0];
            if (!config.SkipInnerUNetInput) Convolution(channels, innerWidth, 3, side);
            Convolution(innerWidth, channels, 3, side);
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
                ResNetWithAttention(channels + skips.Pop(), widths[i], side, i);
                channels = widths[i];
            }
            if (i == 0) continue;
            side *= 2;
            Convolution(channels, channels, 3, side);   // after the nearest ×2 upsample
        }
        Convolution(channels, plan.Config.OutputChannels, 3, side);
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

    private void ResNetWithAttention(int inChannels, int outChannels, long side, int resolutionIndex)
    {
        ResNet(inChannels, outChannels, side);
        var config = _level.Config;
        if (!config.AttentionLevels.Contains(resolutionIndex)) return;
        for (int layer = 0; layer < config.NumAttentionLayers[resolutionIndex]; layer++)
            SpatialAttention(outChannels, side, _level.ConditioningDim);
    }

    private void ResNet(int inChannels, int outChannels, long side)
    {
        Convolution(inChannels, outChannels, 3, side);
        Linear(1, _level.TemporalDim, 2L * outChannels);
        Convolution(outChannels, outChannels, 3, side);
        if (inChannels != outChannels) Convolution(inChannels, outChannels, 1, side);
    }

    private void SpatialAttention(long channels, long side, int conditioningDim)
    {
        long positions = side * side;
        Convolution(channels, 3 * channels, 1, side);
        AttentionProducts(positions, positions, channels);
        if (conditioningDim > 0)
        {
            Linear(_textTokens, conditioningDim, 2 * channels);
            AttentionProducts(positions, _textTokens, channels);
        }
        Convolution(channels, channels, 1, side);
        if (_level.Config.ResNet.UseAttentionFfn)
        {
            Convolution(channels, 4 * channels, 1, side);
            Convolution(4 * channels, channels, 1, side);
        }
    }

    private void Convolution(long inChannels, long outChannels, int kernel, long outputSide)
    {
        _convolutions = checked(_convolutions + 2 * inChannels * outChannels * kernel * kernel * outputSide * outputSide);
        _outputs = checked(_outputs + outChannels * outputSide * outputSide);
    }

    private void Linear(long tokens, long inFeatures, long outFeatures)
    {
        _linear = checked(_linear + 2 * tokens * inFeatures * outFeatures);
        _outputs = checked(_outputs + tokens * outFeatures);
    }

    // Q·Kᵀ and softmax(·)·V over all heads: 2·queries·keys·width each. Only the queries·width output counts as
    // activations: libtorch's fused (flash) CPU attention keeps no queries×keys matrix for the backward pass, and the
    // calibration (emoji-64, attention at 16²) agrees.
    private void AttentionProducts(long queries, long keys, long width)
    {
        _attention = checked(_attention + 2 * (2 * queries * keys * width));
        _outputs = checked(_outputs + queries * width);
    }
}
