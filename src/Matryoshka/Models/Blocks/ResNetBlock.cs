using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Matryoshka.Models.Blocks;

/// <summary>How a <see cref="ResNetBlock"/> changes the resolution at its end.</summary>
internal enum Resample
{
    None,
    /// <summary>3×3 conv with stride 2.</summary>
    Down,
    /// <summary>Nearest ×2 (in float32), then a 3×3 conv.</summary>
    Up,
}

/// <summary>
/// One resolution of a UNet path (ml-mdm <c>ResNetBlock</c>): ResNets, each followed by its attention blocks
/// (stored flat, index <c>resnet·L + layer</c>), then an optional resample. On the up path every ResNet first
/// concatenates one skip activation on the channels.
/// </summary>
internal sealed class ResNetBlock : nn.Module
{
    private readonly ModuleList<ResNet> resnets;
    private readonly ModuleList<SpatialAttention>? attn;
    private readonly ModuleList<TemporalAttentionBlock>? t_attn;
    private readonly nn.Module? resample;   // a SafeConvolution, or a TemporalConvolution in a video level
    private readonly int _attentionLayers;
    private readonly int _temporalAttentionLayers;
    private readonly Resample _resample;

    /// <param name="layers">Layer factory (device, dtype).</param>
    /// <param name="channels">(input, output) channels of each ResNet, in order.</param>
    /// <param name="attentionLayers">Attention blocks after each ResNet.</param>
    /// <param name="temporalDim">Width of the time embedding.</param>
    /// <param name="config">The level's ResNet settings.</param>
    /// <param name="conditioningDim">Text width for cross-attention, or ≤ 0 for none.</param>
    /// <param name="resampleKind">The resample at the end of the block.</param>
    /// <param name="field">The level's config path, for error messages.</param>
    /// <param name="temporalAttentionLayers">Temporal attention blocks after each ResNet (and its attention); video levels only.</param>
    /// <param name="temporal">Whether the block belongs to a video level, whose resample acts on the frames (a Conv1d over time).</param>
    public ResNetBlock(Layers layers, IReadOnlyList<(int In, int Out)> channels, int temporalDim, ResNetConfig config,
        int attentionLayers, int conditioningDim, Resample resampleKind, string field, int temporalAttentionLayers = 0, bool temporal = false)
        : base(nameof(ResNetBlock))
    {
        resnets = new ModuleList<ResNet>(channels.Select(c => new ResNet(layers, c.In, c.Out, temporalDim, config, field)).ToArray());
        if (attentionLayers > 0)
        {
            attn = new ModuleList<SpatialAttention>(channels
                .SelectMany(c => Enumerable.Range(0, attentionLayers).Select(_ => new SpatialAttention(layers, c.Out, conditioningDim, config.UseAttentionFfn, field + ".attention_levels")))
                .ToArray());
        }
        if (temporalAttentionLayers > 0)
        {
            t_attn = new ModuleList<TemporalAttentionBlock>(channels
                .SelectMany(c => Enumerable.Range(0, temporalAttentionLayers).Select(_ => new TemporalAttentionBlock(layers, c.Out, field + ".num_temporal_attention_layers")))
                .ToArray());
        }
        int last = channels[^1].Out;
        if (temporal && resampleKind != Resample.None) resample = new TemporalConvolution(last, resampleKind, layers.Device, layers.DType);
        else if (resampleKind == Resample.Down) resample = layers.Conv(last, last, 3, stride: 2);
        else if (resampleKind == Resample.Up) resample = layers.Conv(last, last, 3);
        _attentionLayers = attentionLayers;
        _temporalAttentionLayers = temporalAttentionLayers;
        _resample = resampleKind;
        RegisterComponents();
    }

    /// <summary>Number of ResNets.</summary>
    public int Count => resnets.Count;

    /// <summary>
    /// Runs the block. With <paramref name="skips"/> (up path), ResNet i first concatenates <c>skips[i]</c>.
    /// With <paramref name="activations"/> (down path), every ResNet(+attention) output and the resampled output
    /// are appended to it, in that order.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor temb, Tensor? text, Tensor? textKeep,
        IReadOnlyList<Tensor>? skips = null, List<Tensor>? activations = null)
    {
        for (int i = 0; i < resnets.Count; i++)
        {
            if (skips is not null) x = cat(new[] { x, skips[i] }, 1);
            x = resnets[i].call(x, temb);
            for (int j = 0; j < _attentionLayers; j++)
                x = attn![i * _attentionLayers + j].call(x, text, textKeep);
            for (int j = 0; j < _temporalAttentionLayers; j++)
                x = t_attn![i * _temporalAttentionLayers + j].call(x, x.shape[0] / temb.shape[0]);
            activations?.Add(x);
        }

        if (resample is TemporalConvolution overTime)
        {
            x = overTime.call(x, x.shape[0] / temb.shape[0]);
        }
        else if (_resample == Resample.Up)
        {
            var upsampled = F.interpolate(x.to(ScalarType.Float32), scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest).to(x.dtype);
            x = ((SafeConvolution)resample!).call(upsampled);
        }
        else if (_resample == Resample.Down)
        {
            x = ((SafeConvolution)resample!).call(x);
        }
        if (_resample != Resample.None) activations?.Add(x);
        return x;
    }
}
