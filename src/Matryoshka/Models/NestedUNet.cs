using Matryoshka.Conditioning;
using Matryoshka.Models.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Matryoshka.Models;

/// <summary>
/// A Matryoshka nested UNet, compatible with ml-mdm down to state_dict keys and numbers. Each instance is one
/// level; a level that wraps another holds it as <c>inner_unet</c>, so a one-level model is ml-mdm's <c>UNet</c>
/// and deeper ones its <c>NestedUNet</c> / <c>Nested2UNet</c> …. One forward pass predicts every level.
/// </summary>
/// <remarks>
/// The outer level runs its down path to its lowest resolution, which is the inner level's input resolution; a
/// zero-initialised <c>in_adapter</c> adds that feature to the inner level's first convolution; the inner level's
/// last up-path feature returns through a zero-initialised <c>out_adapter</c> in place of the middle blocks; then
/// the outer up path. Text is pooled and projected only in the innermost level, and its embedding is added to every
/// level's time embedding. Layers are invoked through <c>call</c>, not <c>forward</c>, so forward hooks registered
/// on them fire, as in PyTorch; the one exception is <c>conv_out</c> in a reduced-precision model, which runs
/// in float32 outside its module (see <c>OutputConvolution</c>).
/// </remarks>
public sealed class NestedUNet : nn.Module
{
    // Field order is ml-mdm's registration order, hence its state_dict order.
    private readonly Linear temb_layer1;
    private readonly Linear temb_layer2;
    private readonly Linear? cond_emb;
    private readonly Embedding? class_embedding;
    private readonly MicroConditioningLayers? cond_layers;
    private readonly SafeConvolution conv_in;
    private readonly GroupNorm norm_out;
    private readonly SafeConvolution conv_out;
    private readonly ModuleList<ResNetBlock> down_blocks;
    private readonly ModuleList<ResNetBlock>? mid_blocks;
    private readonly ModuleList<ResNetBlock> up_blocks;
    private readonly Linear? lm_proj;
    private readonly ModuleList<TextSelfAttentionBlock>? lm_head;
    private readonly NestedUNet? inner_unet;
    private readonly SafeConvolution? in_adapter;
    private readonly SafeConvolution? out_adapter;
    private readonly Linear? interp_layer1;
    private readonly Linear? interp_layer2;

    private readonly LevelPlan _level;

    /// <summary>Builds a model from its config on <paramref name="device"/> (CPU by default) in <paramref name="dtype"/>.</summary>
    /// <exception cref="ModelConfigurationException">The config is invalid; the message names the field and value.</exception>
    public NestedUNet(ModelConfig config, Device? device = null, ScalarType dtype = ScalarType.Float32)
        : this(config.Plan(), 0, new Layers(device ?? CPU, dtype))
    {
    }

    private NestedUNet(ModelPlan plan, int index, Layers layers) : base(nameof(NestedUNet))
    {
        Plan = plan;
        _level = plan.Levels[index];
        var config = _level.Config;
        int temporal = _level.TemporalDim;
        string field = _level.ConfigPath;

        temb_layer1 = layers.Linear(temporal / 4, temporal);
        temb_layer2 = layers.Linear(temporal, temporal);
        if (_level.HasCondEmb) cond_emb = layers.Linear(_level.ConditioningDim, temporal, bias: false);
        // In the innermost level, so growing moves it to inner_unet.class_embedding with the rest of the text path.
        if (plan.Config.ClassCount > 0 && index == plan.Levels.Count - 1)
            class_embedding = nn.Embedding(plan.Config.ClassCount + 1, plan.Config.TextEmbeddingDim, device: layers.Device, dtype: layers.DType);
        if (_level.MicroConditioning.Count > 0)
            cond_layers = new MicroConditioningLayers(layers, _level.MicroConditioning.Select(m => m.Key), temporal);

        var channelsPerResolution = config.ResolutionChannels;
        int n = channelsPerResolution.Count;
        int channels = channelsPerResolution[0];
        conv_in = layers.Conv(plan.Config.InputChannels, channels, 3);
        var skipChannels = new Stack<int>();
        skipChannels.Push(channels);

        var down = new List<ResNetBlock>();
        for (int i = 0; i < n; i++)
        {
            var specs = new List<(int, int)>();
            for (int j = 0; j < config.NumResnetsPerResolution[i]; j++)
            {
                specs.Add((channels, channelsPerResolution[i]));
                channels = channelsPerResolution[i];
                skipChannels.Push(channels);
            }
            if (i != n - 1) skipChannels.Push(channels);
            down.Add(new ResNetBlock(layers, specs, temporal, config.ResNet, AttentionLayers(i), AttentionConditioning(i),
                i != n - 1 ? Resample.Down : Resample.None, field, _level.TemporalAttentionLayers(i), _level.IsTemporal));
        }

        List<ResNetBlock>? mid = null;
        if (_level.HasMidBlocks)
        {
            mid = new List<ResNetBlock>
            {
                new(layers, new[] { (channels, channels) }, temporal, config.ResNet, 1, _level.ConditioningDim, Resample.None, field),
                new(layers, new[] { (channels, channels) }, temporal, config.ResNet, 0, -1, Resample.None, field),
            };
        }

        var up = new List<ResNetBlock>();
        for (int i = n - 1; i >= 0; i--)
        {
            var specs = new List<(int, int)>();
            for (int j = 0; j <= config.NumResnetsPerResolution[i]; j++)
            {
                specs.Add((channels + skipChannels.Pop(), channelsPerResolution[i]));
                channels = channelsPerResolution[i];
            }
            up.Add(new ResNetBlock(layers, specs, temporal, config.ResNet, AttentionLayers(i), AttentionConditioning(i),
                i != 0 ? Resample.Up : Resample.None, field, _level.TemporalAttentionLayers(i), _level.IsTemporal));
        }

        norm_out = layers.GroupNorm(config.ResNet.NumGroupsNorm, channels, field + ".resnet_config.num_groups_norm");
        conv_out = layers.Conv(channels, plan.Config.OutputChannels, 3, zero: true);
        down_blocks = new ModuleList<ResNetBlock>(down.ToArray());
        if (mid is not null) mid_blocks = new ModuleList<ResNetBlock>(mid.ToArray());
        up_blocks = new ModuleList<ResNetBlock>(up.ToArray());

        if (_level.HasCondEmb)
        {
            if (_level.HasLmProj) lm_proj = layers.Linear(_level.ConditioningInputDim, _level.ConditioningDim);
            lm_head = new ModuleList<TextSelfAttentionBlock>(Enumerable.Range(0, config.NumLmHeadLayers)
                .Select(_ => new TextSelfAttentionBlock(layers, _level.ConditioningDim, field + ".num_lm_head_layers")).ToArray());
        }

        if (config.Inner is not null)
        {
            inner_unet = new NestedUNet(plan, index + 1, layers);
            int innerChannels = config.Inner.ResolutionChannels[0];
            if (!config.SkipInnerUNetInput) in_adapter = layers.Conv(channelsPerResolution[^1], innerChannels, 3, zero: true);
            out_adapter = layers.Conv(innerChannels, channelsPerResolution[^1], 3, zero: true);
            if (config.InterpConditioning)
            {
                interp_layer1 = layers.Linear(temporal / 4, temporal);
                interp_layer2 = layers.Linear(temporal, temporal);
            }
        }

        RegisterComponents();
        if (config.FreezeInnerUNet && inner_unet is not null)
            foreach (var parameter in inner_unet.parameters()) parameter.requires_grad = false;

        int AttentionLayers(int i) => config.AttentionLevels.Contains(i) ? config.NumAttentionLayers[i] : 0;
        int AttentionConditioning(int i) => config.AttentionLevels.Contains(i) ? _level.ConditioningDim : -1;
    }

    /// <summary>The validated, resolved config of the whole model.</summary>
    public ModelPlan Plan { get; }

    /// <summary>
    /// Predicts every level (ml-mdm <c>NestedUNet.forward</c>).
    /// </summary>
    /// <param name="noisy">x_t of every level, high → low: [B_l, C, R_l, R_l]. Higher levels may carry fewer samples
    /// than lower ones (mixed-resolution batches: they are the first samples of the batch).</param>
    /// <param name="timesteps">The integer step per sample [B] (the lowest level's batch), int64.</param>
    /// <param name="text">Text embeddings [B, T, D], required when the model is text-conditioned.</param>
    /// <param name="textMask">[B, T], nonzero for real tokens; null means every token is real.</param>
    /// <param name="micros">Micro-conditioning values per key ([B] each); a missing key uses the level's default.</param>
    /// <returns>The prediction of every level, high → low, shaped like <paramref name="noisy"/>.</returns>
    public Tensor[] Forward(IReadOnlyList<Tensor> noisy, Tensor timesteps, Tensor? text = null, Tensor? textMask = null,
        IReadOnlyDictionary<string, Tensor>? micros = null)
    {
        ModelInputs.Validate(Plan, noisy, timesteps, text, textMask);
        using var scope = NewDisposeScope();
        return Denoise(noisy, timesteps, Prepare(timesteps.shape[0], text, textMask, micros));
    }

    /// <summary>
    /// Predicts every level with conditioning prepared once by <see cref="PrepareConditioning"/>: the same outputs as
    /// the other overload with the same conditioning, without recomputing the text path and micro-conditioning.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs do not fit the model, or the conditioning was prepared by another
    /// model or for another batch size.</exception>
    public Tensor[] Forward(IReadOnlyList<Tensor> noisy, Tensor timesteps, PreparedConditioning conditioning)
    {
        ArgumentNullException.ThrowIfNull(conditioning);
        ModelInputs.ValidateImages(Plan, noisy, timesteps);
        if (!ReferenceEquals(conditioning.Model, this))
            throw new ArgumentException("The conditioning was prepared by another model.", nameof(conditioning));
        if (conditioning.Batch != timesteps.shape[0])
            throw new ArgumentException($"The conditioning was prepared for {conditioning.Batch} samples; this call has {timesteps.shape[0]}.", nameof(conditioning));
        using var scope = NewDisposeScope();
        return Denoise(noisy, timesteps, conditioning);
    }

    /// <summary>
    /// Computes what every forward pass with this conditioning shares — the text path (projection, pooling,
    /// <c>cond_emb</c>) and each level's micro-conditioning embedding — for calls of <paramref name="batch"/> samples,
    /// so that a sampler computes it once per generation rather than at every step.
    /// </summary>
    /// <param name="batch">Samples per forward call (the lowest level's batch).</param>
    /// <param name="text">Text embeddings [B, T, D], required when the model is text-conditioned.</param>
    /// <param name="textMask">[B, T], nonzero for real tokens; null means every token is real.</param>
    /// <param name="micros">Micro-conditioning values per key ([B] each); a missing key uses the level's default.</param>
    /// <exception cref="ArgumentException">The conditioning does not fit the model.</exception>
    public PreparedConditioning PrepareConditioning(long batch, Tensor? text = null, Tensor? textMask = null,
        IReadOnlyDictionary<string, Tensor>? micros = null)
    {
        ModelInputs.ValidateConditioning(Plan, batch, text, textMask);
        using var scope = NewDisposeScope();
        return Prepare(batch, text, textMask, micros).MoveToOuterDisposeScope();
    }

    private PreparedConditioning Prepare(long batch, Tensor? text, Tensor? textMask, IReadOnlyDictionary<string, Tensor>? micros)
    {
        Tensor? condEmb = null, features = null, keep = null;
        if (Plan.IsTextConditioned)
            (condEmb, features, keep) = Innermost().ForwardConditioning(text!.to(conv_in.Weight.dtype), textMask);
        var micro = new Tensor?[Plan.Levels.Count];
        var level = this;
        for (int depth = 0; level is not null; depth++, level = level.inner_unet)
            micro[depth] = level.cond_layers is null ? null : level.MicroEmbedding(batch, micros);
        return new PreparedConditioning(this, batch, condEmb, features, keep, micro);
    }

    private Tensor[] Denoise(IReadOnlyList<Tensor> noisy, Tensor timesteps, PreparedConditioning conditioning)
    {
        var (outputs, _) = ForwardDenoising(noisy, timesteps, conditioning, depth: 0, feature: null);
        double s = Plan.Config.OutputScale;
        // ml-mdm diffusion.Model.forward: tanh(outputs / s) * s.
        var bounded = s == 0 ? outputs.ToArray() : outputs.Select(o => (o / s).tanh() * s).ToArray();
        foreach (var output in bounded) output.MoveToOuterDisposeScope();
        return bounded;
    }

    private NestedUNet Innermost() => inner_unet?.Innermost() ?? this;

    /// <summary>
    /// The conditioning of a class-conditional model for <paramref name="labels"/> ([B] int64, each in 0 … ClassCount,
    /// where ClassCount is the "no class" token): one learned token per sample, [B, 1, D], mask 1. Pass it as the text.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not class-conditional.</exception>
    /// <exception cref="ArgumentException">A label is outside 0 … ClassCount or the shape is not [B].</exception>
    public TextConditioning ClassConditioning(Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var embedding = Innermost().class_embedding ?? throw new InvalidOperationException("The model is not class-conditional (categorical_conditioning is 0).");
        if (labels.dim() != 1 || labels.shape[0] < 1) throw new ArgumentException($"Labels must be [B]; got [{string.Join(", ", labels.shape)}].", nameof(labels));
        using var scope = NewDisposeScope();
        var indices = labels.to(ScalarType.Int64).to(embedding.weight!.device);
        if (indices.lt(0).any().item<bool>() || indices.gt(Plan.Config.ClassCount).any().item<bool>())
            throw new ArgumentException($"Labels must be in 0 … {Plan.Config.ClassCount} ({Plan.Config.ClassCount} = no class).", nameof(labels));
        var tokens = embedding.call(indices).unsqueeze(1);
        var mask = ones(new[] { labels.shape[0], 1L }, dtype: ScalarType.Float32, device: tokens.device);
        return new TextConditioning(tokens.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    // ml-mdm UNet.forward_conditioning: projection, optional text self-attention, (masked) mean pooling → cond_emb.
    private (Tensor CondEmb, Tensor Features, Tensor? Keep) ForwardConditioning(Tensor text, Tensor? mask)
    {
        bool masked = _level.Config.MaskedCrossAttention;
        var features = lm_proj is null ? text : lm_proj.call(text);
        var maskTyped = mask?.to(features.dtype);
        foreach (var head in lm_head!) features = head.call(features, masked ? maskTyped : null);
        var pooled = maskTyped is null || (!masked && lm_head!.Count > 0)
            ? features.mean(new long[] { 1 })
            : (maskTyped.unsqueeze(-1) * features).sum(1) / maskTyped.sum(1, keepdim: true);
        return (cond_emb!.call(pooled), features, masked ? maskTyped : null);
    }

    private Tensor TimeEmbedding(Tensor values, Linear first, Linear second)
    {
        var sinusoid = TimestepEmbedding.Sinusoid(values, _level.TemporalDim).to(first.weight!.dtype);
        return second.call(F.silu(first.call(sinusoid)));
    }

    // ml-mdm forward_micro_conditioning: the default value (or the given one, clamped to it for "scale") through
    // the sinusoid and this level's MLP for that key.
    private Tensor MicroEmbedding(long batch, IReadOnlyDictionary<string, Tensor>? micros)
    {
        Tensor? sum = null;
        foreach (var (key, defaultValue) in _level.MicroConditioning)
        {
            var value = micros is not null && micros.TryGetValue(key, out var given)
                ? given.to(ScalarType.Float32)
                : ones(new[] { batch }, dtype: ScalarType.Float32, device: conv_in.Weight.device) * defaultValue;
            value = key == "scale" ? (value / defaultValue).clamp_max(1) * defaultValue : value * 1000;
            var (first, second) = cond_layers!.For(key);
            var embedding = TimeEmbedding(value, first, second);
            sum = sum is null ? embedding : sum + embedding;
        }
        return sum!;
    }

    private (List<Tensor> Outputs, Tensor Feature) ForwardDenoising(IReadOnlyList<Tensor> noisy, Tensor timesteps,
        PreparedConditioning conditioning, int depth, Tensor? feature)
    {
        var (text, keep) = (conditioning.Text, conditioning.TextKeep);
        var temb = TimeEmbedding(timesteps, temb_layer1, temb_layer2);
        if (conditioning.PooledText is { } condEmb) temb = temb + condEmb;
        if (conditioning.Micro[depth] is { } micro) temb = temb + micro;

        var input = noisy[0];
        long batch = input.shape[0];
        // A video level works on its frames as batch rows (ml-mdm's temporal_wrapper); grid and frames are
        // permutations of each other, so the element-wise steps ml-mdm does on the grid are done on the frames.
        int grid = _level.FrameGrid, innerGrid = _level.InnerFrameGrid;
        input = FrameLayout.GridToFrames(input, grid);
        if (_level.NormalizesInput) input = input / input.std(new long[] { 1, 2, 3 }, unbiased: true, keepdim: true);
        bool channelsLast = ChannelsLastOnCpu && !_level.IsTemporal && UsesChannelsLast(input);
        if (channelsLast) input = input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        var x = conv_in.call(input);
        if (feature is not null) x = x + FrameLayout.GridToFrames(feature, grid);

        // A mixed-resolution batch gives this level only its first `batch` samples.
        var levelTemb = Rows(temb, batch);
        var levelText = text is null ? null : Rows(text, batch);
        var levelKeep = keep is null ? null : Rows(keep, batch);

        var skips = new List<Tensor> { x };
        for (int i = 0; i < down_blocks.Count; i++)
            x = down_blocks[i].Forward(x, levelTemb, levelText, levelKeep, activations: skips);

        List<Tensor> outputs;
        if (inner_unet is not null)
        {
            long innerBatch = noisy[1].shape[0];
            Tensor? toInner = in_adapter?.call(FrameLayout.FramesToGrid(x, innerGrid));
            if (toInner is not null && innerBatch > batch)
                toInner = cat(new[] { toInner, zeros(new[] { innerBatch - batch }.Concat(toInner.shape.Skip(1)).ToArray(), dtype: toInner.dtype, device: toInner.device) }, 0);
            var (innerOutputs, innerFeature) = inner_unet.ForwardDenoising(noisy.Skip(1).ToArray(), timesteps, conditioning, depth + 1, toInner);
            x = x + FrameLayout.GridToFrames(Rows(out_adapter!.call(innerFeature), batch), innerGrid);
            outputs = new List<Tensor> { default! };
            outputs.AddRange(innerOutputs);
        }
        else
        {
            if (mid_blocks is not null)
            {
                x = mid_blocks[0].Forward(x, temb, text, keep);
                x = mid_blocks[1].Forward(x, temb, null, null);
            }
            outputs = new List<Tensor> { default! };
        }

        int n = _level.Config.ResolutionCount;
        for (int u = 0; u < up_blocks.Count; u++)
        {
            int count = _level.Config.NumResnetsPerResolution[n - 1 - u] + 1;
            var levelSkips = skips.GetRange(skips.Count - count, count);
            levelSkips.Reverse();
            skips.RemoveRange(skips.Count - count, count);
            x = up_blocks[u].Forward(x, levelTemb, levelText, levelKeep, skips: levelSkips);
        }

        outputs[0] = FrameLayout.FramesToGrid(OutputConvolution(F.silu(norm_out.call(x))), grid);
        if (channelsLast) outputs[0] = outputs[0].contiguous();
        return (outputs, FrameLayout.FramesToGrid(x, grid));
    }

    /// <summary>Resolutions from which a level runs channels-last on the CPU.</summary>
    internal const long ChannelsLastFromResolution = 128;

    /// <summary>
    /// Whether levels of 128² and more run channels-last (NHWC) on the CPU when no gradients are taken, for this module
    /// and its inner levels (default true: a 256² level's sampling step ~1.3-2.4× faster; the values agree with NCHW to
    /// float32 rounding). Set false only to compare.
    /// </summary>
    public bool ChannelsLastOnCpu
    {
        get => _channelsLastOnCpu;
        set
        {
            _channelsLastOnCpu = value;
            if (inner_unet is not null) inner_unet.ChannelsLastOnCpu = value;
        }
    }

    private bool _channelsLastOnCpu = true;

    // A wide, thin level (128² and up, few channels) runs channels-last (NHWC) on the CPU when no gradients are taken
    // (sampling, evaluation): oneDNN's convolutions work in channel blocks, so with NCHW activations every convolution
    // reorders its input and output through scratch buffers, which cost more than the convolution itself at 16-32
    // channels. The layout is set once on the level's input; convolutions, norms, element-wise ops and concatenations
    // keep it. Training stays NCHW: there the NHWC backward measured slower (docs/performance.md, "Page faults and the 256² level").
    // The values are those of NCHW up to the summation order inside a convolution; the output is handed back NCHW.
    private static bool UsesChannelsLast(Tensor input) =>
        input.device_type == DeviceType.CPU && input.dim() == 4 && input.shape[2] >= ChannelsLastFromResolution && !is_grad_enabled();

    // libtorch 2.10's CPU bf16 3×3 convolution with fewer than 16 output channels is ~30 % off (docs/troubleshooting.md),
    // and conv_out has 3, so reduced-precision models run it in float32. The narrow head's input gradient is handled
    // by SafeConvolution itself.
    private Tensor OutputConvolution(Tensor x)
    {
        if (x.dtype is ScalarType.Float32 or ScalarType.Float64) return conv_out.call(x);

        using var scope = NewDisposeScope();
        var result = conv_out.Apply(x.to(ScalarType.Float32), conv_out.Weight.to(ScalarType.Float32), conv_out.Bias.to(ScalarType.Float32));
        return result.to(x.dtype).MoveToOuterDisposeScope();
    }

    private static Tensor Rows(Tensor t, long count) => t.shape[0] == count ? t : t.narrow(0, 0, count);
}
