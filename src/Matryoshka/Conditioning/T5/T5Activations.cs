using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Matryoshka.Conditioning.T5;

/// <summary>Names (as in transformers' <c>ACT2FN</c>) and evaluation of <see cref="T5Activation"/>.</summary>
internal static class T5Activations
{
    private static readonly (string Name, T5Activation Activation)[] Names =
    {
        ("relu", T5Activation.Relu),
        ("gelu", T5Activation.Gelu),
        ("gelu_new", T5Activation.GeluNew),
        ("gelu_pytorch_tanh", T5Activation.GeluPytorchTanh),
        ("silu", T5Activation.Silu),
        ("swish", T5Activation.Silu),
    };

    /// <summary>The names accepted, for error messages.</summary>
    public static string Supported => string.Join(", ", Names.Select(n => n.Name));

    public static bool TryParse(string name, out T5Activation activation)
    {
        foreach (var (candidate, value) in Names)
        {
            if (string.Equals(candidate, name, StringComparison.Ordinal))
            {
                activation = value;
                return true;
            }
        }
        activation = default;
        return false;
    }

    /// <summary>The transformers name of <paramref name="activation"/>.</summary>
    public static string Name(T5Activation activation) => Names.First(n => n.Activation == activation).Name;

    /// <summary>Applies <paramref name="activation"/> element-wise, in the input's dtype.</summary>
    public static Tensor Apply(T5Activation activation, Tensor x) => activation switch
    {
        T5Activation.Relu => F.relu(x),
        T5Activation.Gelu => F.gelu(x),
        T5Activation.GeluNew => GeluNew(x),
        T5Activation.GeluPytorchTanh => F.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        T5Activation.Silu => F.silu(x),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "not a T5 activation"),
    };

    // transformers' NewGELUActivation, operation for operation (each rounds in the input's dtype, as upstream).
    private static Tensor GeluNew(Tensor x)
    {
        using var scope = NewDisposeScope();
        // Explicit scalars: implicit ones can be freed by their finalizer mid-call (docs/troubleshooting.md).
        using var half = 0.5.ToScalar();
        using var one = 1.0.ToScalar();
        using var cubic = 0.044715.ToScalar();
        using var three = 3.0.ToScalar();
        using var slope = Math.Sqrt(2.0 / Math.PI).ToScalar();
        var inner = x.add(x.pow(three).mul(cubic)).mul(slope);
        return x.mul(half).mul(inner.tanh().add(one)).MoveToOuterDisposeScope();
    }
}
