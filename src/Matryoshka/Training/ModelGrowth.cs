using Matryoshka.Models;
using static TorchSharp.torch;

namespace Matryoshka.Training;

/// <summary>
/// Progressive training's growth step (MDM §3.3): a larger NestedUNet whose wrapped level is the smaller model.
/// The smaller model's weights go into <c>inner_unet.*</c>; everything new keeps its initialisation, in which the
/// adapters and the new output convolution are zero, so right after growing the low-resolution outputs equal the
/// smaller model's and the new high-resolution output is zero. Growing an image model into a video model works the
/// same way (the new outer level is temporal; the image model becomes its inner level), and the new level's temporal
/// attention blocks start as the identity (their last convolution zero), so it first treats the frames one by one.
/// </summary>
public static class ModelGrowth
{
    /// <summary>The state-dict prefix of the wrapped level.</summary>
    public const string InnerPrefix = "inner_unet.";

    /// <summary>Builds the grown model from <paramref name="largerConfig"/> and copies <paramref name="smaller"/> into it.</summary>
    /// <exception cref="ModelConfigurationException">The larger config's wrapped level does not have exactly the smaller model's tensors.</exception>
    public static NestedUNet Grow(NestedUNet smaller, ModelConfig largerConfig, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(smaller);
        ArgumentNullException.ThrowIfNull(largerConfig);
        var first = smaller.parameters().First();
        var larger = new NestedUNet(largerConfig, device ?? first.device, first.dtype);
        try
        {
            LoadInner(larger, smaller);
            return larger;
        }
        catch
        {
            larger.Dispose();
            throw;
        }
    }

    /// <summary>Copies <paramref name="smaller"/>'s weights into <paramref name="larger"/>'s wrapped level.</summary>
    /// <exception cref="ModelConfigurationException">The wrapped level does not have exactly the smaller model's tensors.</exception>
    public static void LoadInner(NestedUNet larger, NestedUNet smaller)
    {
        ArgumentNullException.ThrowIfNull(smaller);
        LoadInner(larger, smaller.state_dict());
    }

    /// <summary>
    /// Copies a smaller model's state dict (e.g. the EMA weights of a checkpoint) into <paramref name="larger"/>'s wrapped
    /// level, and starts the outer levels' temporal attention blocks as the identity.
    /// </summary>
    /// <exception cref="ModelConfigurationException">The wrapped level does not have exactly these tensors.</exception>
    public static void LoadInner(NestedUNet larger, IReadOnlyDictionary<string, Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(larger);
        ArgumentNullException.ThrowIfNull(weights);
        var inner = larger.state_dict()
            .Where(p => p.Key.StartsWith(InnerPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[InnerPrefix.Length..], p => p.Value, StringComparer.Ordinal);
        var missing = weights.Keys.Where(k => !inner.ContainsKey(k)).ToList();
        var extra = inner.Keys.Where(k => !weights.ContainsKey(k)).ToList();
        var reshaped = weights.Keys.Where(k => inner.ContainsKey(k) && !inner[k].shape.SequenceEqual(weights[k].shape)).ToList();
        if (missing.Count + extra.Count + reshaped.Count > 0)
            throw new ModelConfigurationException("inner",
                $"The larger model's inner level is not the smaller model: {missing.Count} of its tensors have no place " +
                $"(e.g. {string.Join(", ", missing.Take(3))}), {extra.Count} inner tensors are new (e.g. {string.Join(", ", extra.Take(3))}), " +
                $"{reshaped.Count} differ in shape (e.g. {string.Join(", ", reshaped.Take(3))}).");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (key, value) in weights) inner[key].copy_(value);
        StartTemporalAttentionAsIdentity(larger);
    }

    // ml-mdm initialises a temporal attention block's up_conv like any convolution, so the block adds a random
    // function of its input; zero, the block's output is its input.
    private static void StartTemporalAttentionAsIdentity(NestedUNet larger)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in larger.named_parameters())
            if (!name.StartsWith(InnerPrefix, StringComparison.Ordinal) && name.Contains(".t_attn.", StringComparison.Ordinal) && name.Contains(".up_conv.", StringComparison.Ordinal))
                parameter.zero_();
    }

    /// <summary>Stops gradients for the wrapped level (progressive training's optional freezing).</summary>
    public static void FreezeInner(NestedUNet model)
    {
        ArgumentNullException.ThrowIfNull(model);
        FreezeInnermost(model, model.Plan.Levels.Count - 1);
    }

    /// <summary>Stops gradients for the innermost <paramref name="levels"/> levels (all inner levels: <see cref="FreezeInner"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="levels"/> is not between 0 and the model's inner level count.</exception>
    public static void FreezeInnermost(NestedUNet model, int levels)
    {
        ArgumentNullException.ThrowIfNull(model);
        int count = model.Plan.Levels.Count;
        ArgumentOutOfRangeException.ThrowIfNegative(levels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(levels, count - 1);
        if (levels == 0) return;
        string prefix = model.Plan.Levels[count - levels].KeyPrefix;
        foreach (var (name, parameter) in model.named_parameters())
            if (name.StartsWith(prefix, StringComparison.Ordinal)) parameter.requires_grad = false;
    }
}
