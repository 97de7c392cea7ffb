using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Models.Blocks;

/// <summary>
/// ml-mdm's <c>cond_layers</c>: for each micro-conditioning key a two-layer MLP (<c>cond_layers.&lt;key&gt;.0/.1</c>,
/// the second zero-initialised) applied to the sinusoid of the value.
/// </summary>
/// <remarks>
/// Not a TorchSharp <c>ModuleDict</c>: its two indexers make <c>Module.to(dtype/device)</c> fail in 0.107.0
/// (duplicate property name "Item").
/// </remarks>
internal sealed class MicroConditioningLayers : nn.Module
{
    private readonly Dictionary<string, ModuleList<Linear>> _byKey = new(StringComparer.Ordinal);

    public MicroConditioningLayers(Layers layers, IEnumerable<string> keys, int temporalDim) : base(nameof(MicroConditioningLayers))
    {
        foreach (var key in keys)
        {
            var mlp = new ModuleList<Linear>(layers.Linear(temporalDim / 4, temporalDim), layers.Linear(temporalDim, temporalDim, zero: true));
            register_module(key, mlp);
            _byKey[key] = mlp;
        }
    }

    /// <summary>The (first, second) layers of one key.</summary>
    public (Linear First, Linear Second) For(string key) => (_byKey[key][0], _byKey[key][1]);
}
