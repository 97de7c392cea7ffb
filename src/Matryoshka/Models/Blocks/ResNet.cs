using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Matryoshka.Models.Blocks;

/// <summary>
/// ml-mdm's ResNet block: GroupNorm → SiLU → 3×3 conv, scale-shift conditioning on the time embedding
/// (h·(1 + a) + b), SiLU, dropout, a zero-initialised 3×3 conv, plus a 1×1 skip projection when the width changes.
/// </summary>
internal sealed class ResNet : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNorm norm1;
    private readonly SafeConvolution conv1;
    private readonly Linear time_layer;
    private readonly GroupNorm norm2;
    private readonly Dropout dropout;
    private readonly SafeConvolution conv2;
    private readonly SafeConvolution? conv3;

    public ResNet(Layers layers, int inChannels, int outChannels, int temporalDim, ResNetConfig config, string field) : base(nameof(ResNet))
    {
        string groupsField = field + ".resnet_config.num_groups_norm";
        norm1 = layers.GroupNorm(config.NumGroupsNorm, inChannels, groupsField);
        conv1 = layers.Conv(inChannels, outChannels, 3);
        time_layer = layers.Linear(temporalDim, 2L * outChannels);
        norm2 = layers.GroupNorm(config.NumGroupsNorm, outChannels, groupsField);
        dropout = nn.Dropout(config.Dropout);
        conv2 = layers.Conv(outChannels, outChannels, 3, zero: true);
        if (inChannels != outChannels) conv3 = layers.Conv(inChannels, outChannels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor temb)
    {
        using var scope = NewDisposeScope();
        // Without gradients (sampling) the element-wise steps overwrite the fresh tensors they are given instead of
        // allocating new ones: the same operations in the same order, so the same values, with fewer of a 256² level's
        // 16–64 MB allocations (docs/performance.md, "Page faults"). With gradients autograd needs those inputs.
        bool inPlace = !is_grad_enabled();
        var h = conv1.call(F.silu(norm1.call(x), inplace: inPlace));
        var modulation = time_layer.call(F.silu(temb));
        // In a video level the frames of a sample are consecutive batch rows and share the sample's modulation.
        if (h.shape[0] > modulation.shape[0]) modulation = modulation.repeat_interleave(h.shape[0] / modulation.shape[0], dim: 0);
        var scaleShift = modulation.unsqueeze(-1).unsqueeze(-1).chunk(2, dim: 1);
        var normalized = norm2.call(h);
        h = inPlace
            ? F.silu(normalized.mul_(1 + scaleShift[0]).add_(scaleShift[1]), inplace: true)
            : F.silu(normalized * (1 + scaleShift[0]) + scaleShift[1]);
        h = conv2.call(dropout.call(h));
        var skip = conv3 is null ? x : conv3.call(x);
        return h.add_(skip).MoveToOuterDisposeScope();
    }
}
