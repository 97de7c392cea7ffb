using Matryoshka.Models.Blocks;

namespace Matryoshka.Models;

/// <summary>
/// Describes one stage (level) of a nested UNet for <see cref="NestedUNetBuilder"/>. Unset per-resolution lists
/// default to one entry per resolution: 2 ResNets, no attention.
/// </summary>
public sealed class StageBuilder
{
    private int[] _channels = { 128, 256, 512 };
    private int[]? _resnets;
    private readonly SortedDictionary<int, int> _attention = new();
    private int? _temporalDim;
    private int _textProjection = -1;
    private int _textHeadLayers;
    private bool _maskedCrossAttention = true;
    private readonly List<KeyValuePair<string, double>> _micro = new();
    private ResNetConfig _resNet = new();
    private bool? _normalizeInput;
    private bool _freezeInner;

    internal StageBuilder(int resolution) => Resolution = resolution;

    /// <summary>Side of this stage's input image.</summary>
    public int Resolution { get; }

    /// <summary>Channels at each internal resolution, highest first (<c>resolution_channels</c>); the stage halves its input once per extra entry.</summary>
    public StageBuilder Channels(params int[] channels)
    {
        _channels = channels?.ToArray() ?? throw new ArgumentNullException(nameof(channels));
        return this;
    }

    /// <summary>ResNets per internal resolution on the down path (one value applies to all) (<c>num_resnets_per_resolution</c>).</summary>
    public StageBuilder ResNets(params int[] perResolution)
    {
        _resnets = perResolution?.ToArray() ?? throw new ArgumentNullException(nameof(perResolution));
        return this;
    }

    /// <summary>Adds <paramref name="layers"/> attention blocks after every ResNet at internal resolution <paramref name="resolutionIndex"/> (0 = highest).</summary>
    public StageBuilder Attention(int resolutionIndex, int layers = 1)
    {
        _attention[resolutionIndex] = layers;
        return this;
    }

    /// <summary>Width of the time embedding (default: the inner stage's; for the innermost stage 4 × its first channel count).</summary>
    public StageBuilder TemporalDim(int width)
    {
        _temporalDim = width;
        return this;
    }

    /// <summary>Projects the text to <paramref name="width"/> (<c>conditioning_feature_proj_dim</c>); takes effect in the innermost stage.</summary>
    public StageBuilder TextProjection(int width)
    {
        _textProjection = width;
        return this;
    }

    /// <summary>Extra self-attention blocks over the text in the innermost stage (<c>num_lm_head_layers</c>).</summary>
    public StageBuilder TextHeadLayers(int count)
    {
        _textHeadLayers = count;
        return this;
    }

    /// <summary>Whether cross-attention ignores padded tokens (innermost stage; ml-mdm's released models attend to them).</summary>
    public StageBuilder MaskedCrossAttention(bool masked)
    {
        _maskedCrossAttention = masked;
        return this;
    }

    /// <summary>Adds a micro-conditioning input, e.g. <c>scale</c> with default value the stage resolution.</summary>
    public StageBuilder MicroConditioning(string key = "scale", double? defaultValue = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        _micro.Add(new(key, defaultValue ?? Resolution));
        return this;
    }

    /// <summary>ResNet settings: GroupNorm groups, dropout, attention feed-forward.</summary>
    public StageBuilder ResNet(int groups = 32, double dropout = 0, bool attentionFeedForward = false)
    {
        _resNet = new ResNetConfig { NumGroupsNorm = groups, Dropout = dropout, UseAttentionFfn = attentionFeedForward };
        return this;
    }

    /// <summary>Whether a wrapping stage divides its noisy input by its per-sample std (ml-mdm's default: yes).</summary>
    public StageBuilder NormalizeInput(bool normalize)
    {
        _normalizeInput = normalize;
        return this;
    }

    /// <summary>Freezes the stages inside this one (<c>freeze_inner_unet</c>).</summary>
    public StageBuilder FreezeInner(bool freeze = true)
    {
        _freezeInner = freeze;
        return this;
    }

    /// <summary>
    /// Makes this stage a video stage (<see cref="UNetConfig.TemporalMode"/>): its input is a grid of frames that it
    /// resamples in time, with <paramref name="temporalAttentionLayers"/> temporal attention blocks after each ResNet
    /// per resolution (none when omitted). Needs an odd number of resolutions; S² frames per clip with
    /// S = √2^(n−1) × the inner stages' scale.
    /// </summary>
    public StageBuilder Video(params int[] temporalAttentionLayers)
    {
        _video = true;
        _temporalAttention = temporalAttentionLayers is { Length: > 0 } ? temporalAttentionLayers : null;
        return this;
    }

    private bool _video;
    private int[]? _temporalAttention;

    internal UNetConfig Build(UNetConfig? inner)
    {
        int n = _channels.Length;
        int[] resnets = _resnets is { Length: 1 } single ? Enumerable.Repeat(single[0], n).ToArray() : _resnets ?? Enumerable.Repeat(2, n).ToArray();
        return new UNetConfig
        {
            ResolutionChannels = _channels,
            NumResnetsPerResolution = resnets,
            AttentionLevels = _attention.Keys.ToArray(),
            NumAttentionLayers = Enumerable.Range(0, n).Select(i => _attention.TryGetValue(i, out int layers) ? layers : 0).ToArray(),
            // An outer stage adds the innermost stage's text embedding to its time embedding, so by default it
            // takes the same width (ml-mdm would default to 4 × its own first channel count and fail).
            TemporalDim = _temporalDim ?? (inner is null ? null : inner.TemporalDim ?? 4 * inner.ResolutionChannels[0]),
            ConditioningFeatureProjDim = _textProjection,
            NumLmHeadLayers = _textHeadLayers,
            MaskedCrossAttention = _maskedCrossAttention,
            SkipMidBlocks = inner is not null,
            SkipCondEmb = inner is not null,
            MicroConditioning = _micro.Count == 0 ? null : string.Join(",", _micro.Select(m => FormattableString.Invariant($"{m.Key}:{m.Value}"))),
            ResNet = _resNet,
            Inner = inner,
            SkipNormalization = !(_normalizeInput ?? true),
            FreezeInnerUNet = _freezeInner,
            TemporalMode = _video,
            NumTemporalAttentionLayers = _temporalAttention,
        };
    }
}
