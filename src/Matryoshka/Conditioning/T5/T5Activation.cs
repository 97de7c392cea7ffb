namespace Matryoshka.Conditioning.T5;

/// <summary>
/// The activation of a T5 feed-forward layer (Hugging Face's <c>dense_act_fn</c>): the names transformers' <c>ACT2FN</c>
/// maps to these functions are accepted in configs.
/// </summary>
public enum T5Activation
{
    /// <summary><c>relu</c>: max(x, 0), original T5.</summary>
    Relu,

    /// <summary><c>gelu</c>: the exact, erf-based GELU.</summary>
    Gelu,

    /// <summary>
    /// <c>gelu_new</c>: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), evaluated term by term as transformers does; what
    /// <c>feed_forward_proj: "gated-gelu"</c> (T5 v1.1, flan-T5) selects.
    /// </summary>
    GeluNew,

    /// <summary><c>gelu_pytorch_tanh</c>: PyTorch's fused tanh-approximated GELU (within about 1e-6 of <see cref="GeluNew"/>).</summary>
    GeluPytorchTanh,

    /// <summary><c>silu</c> (or <c>swish</c>): x·sigmoid(x).</summary>
    Silu,
}
