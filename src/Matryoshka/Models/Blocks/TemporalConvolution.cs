using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Matryoshka.Models.Blocks;

/// <summary>
/// The resampling of a temporal level (ml-mdm's <c>nn.Conv1d(C, C, 3, stride, padding=1)</c> over the frames at each
/// position): <c>Conv1d</c>'s parameters, state-dict names and initialisation; down halves the frames (stride 2), up
/// doubles them (nearest ×2 in float32, then stride 1). Computed as a 1 × 3 two-dimensional convolution, as libtorch
/// itself runs a Conv1d, through <see cref="SafeConvolution"/>'s channel padding.
/// </summary>
internal sealed class TemporalConvolution : nn.Module<Tensor, long, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Resample _kind;

    public TemporalConvolution(long channels, Resample kind, Device device, ScalarType dtype) : base(nameof(TemporalConvolution))
    {
        int stride = kind == Resample.Down ? 2 : 1;
        // Built from a Conv1d so the initialisation (and the random numbers it draws) is exactly PyTorch's.
        using (var template = nn.Conv1d(channels, channels, 3, stride: stride, padding: 1, device: device, dtype: dtype))
        using (no_grad())
        {
            weight = new Parameter(template.weight!.detach().clone());
            bias = new Parameter(template.bias!.detach().clone());
        }
        _kind = kind;
        RegisterComponents();
    }

    /// <param name="x">Frames as batch rows [B·t, C, H, W].</param>
    /// <param name="frames">t, the frames per sample.</param>
    /// <returns>[B·t', C, H, W] with t' = ⌈t / 2⌉ (down) or 2t (up).</returns>
    public override Tensor forward(Tensor x, long frames)
    {
        using var scope = NewDisposeScope();
        long height = x.shape[2], width = x.shape[3];
        var sequences = FrameLayout.FramesToChannelSequences(x, frames);
        if (_kind == Resample.Up)
            sequences = F.interpolate(sequences.to(ScalarType.Float32), scale_factor: new[] { 2.0 }, mode: InterpolationMode.Nearest).to(x.dtype);
        long stride = _kind == Resample.Down ? 2 : 1;
        var result = SafeConvolution.Convolve(sequences.unsqueeze(2), weight.unsqueeze(2), bias, (1, stride), (0, 1)).squeeze(2);
        return FrameLayout.ChannelSequencesToFrames(result, height, width).MoveToOuterDisposeScope();
    }
}
