using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Models.Blocks;

/// <summary>
/// Creates the layers of a model on one device and dtype, initialised as ml-mdm initialises them: PyTorch's
/// defaults, GroupNorm/LayerNorm to weight 1 and bias 0 (TorchSharp leaves GroupNorm uninitialised), and
/// zero-initialised layers where ml-mdm wraps them in <c>zero_module</c>.
/// </summary>
internal sealed class Layers
{
    public Layers(Device device, ScalarType dtype)
    {
        Device = device;
        DType = dtype;
    }

    public Device Device { get; }

    public ScalarType DType { get; }

    public SafeConvolution Conv(long inChannels, long outChannels, int kernel, int stride = 1, bool zero = false)
    {
        var conv = new SafeConvolution(inChannels, outChannels, kernel, stride, Device, DType);
        if (zero) ZeroParameters(conv);
        return conv;
    }

    public Linear Linear(long inFeatures, long outFeatures, bool bias = true, bool zero = false)
    {
        var linear = nn.Linear(inFeatures, outFeatures, hasBias: bias, device: Device, dtype: DType);
        if (zero) ZeroParameters(linear);
        return linear;
    }

    /// <summary>A GroupNorm (eps 1e-5) whose group count must divide the channels; <paramref name="field"/> names the config field for errors.</summary>
    public GroupNorm GroupNorm(int groups, long channels, string field)
    {
        if (groups <= 0 || channels % groups != 0)
            throw new ModelConfigurationException(field, $"GroupNorm with {groups} groups cannot split {channels} channels (the group count must divide the channel count)");
        var norm = nn.GroupNorm(groups, channels, eps: 1e-5, device: Device, dtype: DType);
        ResetNorm(norm.weight, norm.bias);
        return norm;
    }

    public LayerNorm LayerNorm(long features)
    {
        var norm = nn.LayerNorm(features, eps: 1e-5, device: Device, dtype: DType);
        ResetNorm(norm.weight, norm.bias);
        return norm;
    }

    private static void ResetNorm(Tensor? weight, Tensor? bias)
    {
        using var guard = no_grad();
        weight?.fill_(1);
        bias?.zero_();
    }

    private static void ZeroParameters(nn.Module module)
    {
        using var guard = no_grad();
        foreach (var p in module.parameters()) p.zero_();
    }
}
