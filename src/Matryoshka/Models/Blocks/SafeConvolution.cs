using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Matryoshka.Models.Blocks;

/// <summary>
/// A 2-D convolution with PyTorch <c>Conv2d</c>'s parameters (<c>weight</c> [out, in, k, k], <c>bias</c> [out]), state-dict
/// names and initialisation, and "same" padding. On CPU it zero-pads the channel counts that libtorch 2.10's oneDNN
/// convolutions get wrong (measured on this project's AVX-512 CPU, docs/troubleshooting.md), so every width computes
/// the same values as the float64 reference:
/// <list type="bullet">
/// <item>forward with more than 16 input channels that are not a multiple of 16 (24, 40: 15–40 % off, sometimes NaN);</item>
/// <item>input gradient with output channels that are not a multiple of 16 (3, 8, 24: 13–92 % off, sometimes NaN);</item>
/// <item>input gradient of a strided convolution whose input channels are an odd multiple of 16 (48, 80, 112: 1–9 % off).</item>
/// </list>
/// The padded channels are zero in the input and the weight, so they add nothing, and the extra outputs are dropped
/// again; gradients flow through the padding unchanged. 1×1 convolutions, float64 and other devices run as they are.
/// </summary>
internal sealed class SafeConvolution : nn.Module<Tensor, Tensor>
{
    /// <summary>The block oneDNN's AVX-512 convolutions work in: channel counts that are multiples of it are safe.</summary>
    private const long ChannelBlock = 16;

    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long _stride;
    private readonly long _padding;

    public SafeConvolution(long inChannels, long outChannels, int kernel, int stride, Device device, ScalarType dtype) : base(nameof(SafeConvolution))
    {
        // Built from a Conv2d so the initialisation (and the random numbers it draws) is exactly PyTorch's.
        using (var template = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: kernel / 2, device: device, dtype: dtype))
        using (no_grad())
        {
            weight = new Parameter(template.weight!.detach().clone());
            bias = new Parameter(template.bias!.detach().clone());
        }
        _stride = stride;
        _padding = kernel / 2;
        RegisterComponents();
    }

    /// <summary>The weight [out, in, k, k].</summary>
    public Parameter Weight => weight;

    /// <summary>The bias [out].</summary>
    public Parameter Bias => bias;

    public override Tensor forward(Tensor x) => Apply(x, weight, bias);

    /// <summary>This convolution's stride and padding applied to <paramref name="x"/> with the given weight and bias (e.g. cast copies of its own).</summary>
    public Tensor Apply(Tensor x, Tensor w, Tensor? b) => Convolve(x, w, b, (_stride, _stride), (_padding, _padding));

    /// <summary>
    /// A 2-D convolution of <paramref name="x"/> [N, C, H, W] with any kernel shape, zero-padding the channel counts
    /// that oneDNN gets wrong (see the class remarks); also serves 1-D convolutions written as 1 × k.
    /// </summary>
    internal static Tensor Convolve(Tensor x, Tensor w, Tensor? b, (long H, long W) stride, (long H, long W) padding)
    {
        var (inChannels, outChannels) = SafeChannels(x, w, Math.Max(stride.H, stride.W));
        if (inChannels == w.shape[1] && outChannels == w.shape[0]) return Plain(x, w, b, stride, padding);

        using var scope = NewDisposeScope();
        long extraIn = inChannels - w.shape[1], extraOut = outChannels - w.shape[0];
        var paddedX = extraIn == 0 ? x : F.pad(x, new[] { 0L, 0, 0, 0, 0, extraIn });
        var paddedW = F.pad(w, new[] { 0L, 0, 0, 0, 0, extraIn, 0, extraOut });
        var paddedB = b is null || extraOut == 0 ? b : F.pad(b, new[] { 0L, extraOut });
        var result = Plain(paddedX, paddedW, paddedB, stride, padding);
        return (extraOut == 0 ? result : result.narrow(1, 0, w.shape[0])).MoveToOuterDisposeScope();
    }

    private static Tensor Plain(Tensor x, Tensor w, Tensor? b, (long H, long W) stride, (long H, long W) padding) =>
        F.conv2d(x, w, b, strides: new[] { stride.H, stride.W }, padding: new[] { padding.H, padding.W });

    /// <summary>The channel counts to compute with: the real ones where oneDNN is right, padded ones where it is not.</summary>
    private static (long In, long Out) SafeChannels(Tensor x, Tensor w, long stride)
    {
        long inChannels = w.shape[1], outChannels = w.shape[0];
        bool pointwise = w.shape[2] == 1 && w.shape[3] == 1;
        if (x.device_type != DeviceType.CPU || x.dtype == ScalarType.Float64 || pointwise) return (inChannels, outChannels);

        if (inChannels > ChannelBlock) inChannels = RoundUp(inChannels, ChannelBlock);
        if (is_grad_enabled() && x.requires_grad)
        {
            outChannels = RoundUp(outChannels, ChannelBlock);
            if (stride > 1 && inChannels > ChannelBlock) inChannels = RoundUp(inChannels, 2 * ChannelBlock);
        }
        return (inChannels, outChannels);
    }

    private static long RoundUp(long value, long multiple) => (value + multiple - 1) / multiple * multiple;
}
