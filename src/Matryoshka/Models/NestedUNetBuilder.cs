namespace Matryoshka.Models;

/// <summary>
/// Fluent construction of a <see cref="ModelConfig"/>, stage by stage from the lowest resolution to the highest,
/// the order MDM trains them in:
/// <code>
/// var config = NestedUNetBuilder.Create()
///     .AddStage(64, s => s.Channels(256, 512, 768).Attention(1).Attention(2, 5).TextProjection(2048).MicroConditioning())
///     .AddStage(256, s => s.Channels(64, 128, 256).ResNets(2, 2, 1).TemporalDim(1024).MicroConditioning())
///     .WithTextEmbeddingDim(2048)
///     .Build();
/// </code>
/// </summary>
public sealed class NestedUNetBuilder
{
    private readonly List<(int Resolution, Action<StageBuilder> Configure)> _stages = new();
    private int _textDim = -1;
    private int _inputChannels = 3;
    private int _outputChannels = 3;

    private NestedUNetBuilder() { }

    /// <summary>Starts an empty model.</summary>
    public static NestedUNetBuilder Create() => new();

    /// <summary>Adds the next stage, one resolution above the previous; its lowest internal resolution must be the previous stage's input resolution.</summary>
    public NestedUNetBuilder AddStage(int resolution, Action<StageBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _stages.Add((resolution, configure));
        return this;
    }

    /// <summary>Conditions the model on text embeddings of this width (e.g. 2048 for flan-t5-xl).</summary>
    public NestedUNetBuilder WithTextEmbeddingDim(int width)
    {
        _textDim = width;
        return this;
    }

    /// <summary>Image channels in and prediction channels out (default 3 and 3).</summary>
    public NestedUNetBuilder WithChannels(int input, int output)
    {
        _inputChannels = input;
        _outputChannels = output;
        return this;
    }

    /// <summary>Builds and validates the config.</summary>
    /// <exception cref="ModelConfigurationException">No stage, stages that do not nest, or any invalid field.</exception>
    public ModelConfig Build()
    {
        if (_stages.Count == 0) throw new ModelConfigurationException("stages", "add at least one stage");
        UNetConfig? inner = null;
        int? innerResolution = null;
        foreach (var (resolution, configure) in _stages)
        {
            var stage = new StageBuilder(resolution);
            configure(stage);
            var level = stage.Build(inner);
            if (innerResolution is int expected)
            {
                // A video stage halves time, not space: its grid shrinks by √2^(n−1) towards the stage inside.
                int ratio = level.TemporalMode ? 1 << ((level.ResolutionCount - 1) / 2) : 1 << (level.ResolutionCount - 1);
                if (resolution <= expected || resolution / ratio != expected || expected * ratio != resolution)
                    throw new ModelConfigurationException($"stage {resolution}",
                        $"its {level.ResolutionCount} internal resolutions reach {resolution}/{ratio}, but the stage inside it takes {expected}×{expected}");
            }
            inner = level;
            innerResolution = resolution;
        }
        var config = new ModelConfig
        {
            UNet = inner!,
            Resolution = innerResolution!.Value,
            TextEmbeddingDim = _textDim,
            InputChannels = _inputChannels,
            OutputChannels = _outputChannels,
        };
        config.Plan();
        return config;
    }
}
