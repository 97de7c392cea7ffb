using static TorchSharp.torch;

namespace Matryoshka.Models;

/// <summary>
/// What a forward pass derives from its conditioning but not from x_t or t: the innermost level's projected text,
/// pooled text embedding and attention mask, and every level's micro-conditioning embedding. A sampler calls the
/// network with the same conditioning at every step, so <see cref="NestedUNet.PrepareConditioning"/> computes this
/// once and <see cref="NestedUNet.Forward(IReadOnlyList{Tensor}, Tensor, PreparedConditioning)"/> reuses it.
/// </summary>
/// <remarks>
/// Derived from the weights: valid only while they do not change (sampling, not training). Its tensors belong to
/// the dispose scope that was current when it was prepared, like any returned tensor; <see cref="Dispose"/> frees
/// them early.
/// </remarks>
public sealed class PreparedConditioning : IDisposable
{
    internal PreparedConditioning(NestedUNet model, long batch, Tensor? pooledText, Tensor? text, Tensor? textKeep, Tensor?[] micro)
    {
        Model = model;
        Batch = batch;
        PooledText = pooledText;
        Text = text;
        TextKeep = textKeep;
        Micro = micro;
    }

    /// <summary>The samples per forward call this was prepared for.</summary>
    public long Batch { get; }

    internal NestedUNet Model { get; }

    // cond_emb(pooled text) [B, temporal], added to every level's time embedding; null without text.
    internal Tensor? PooledText { get; }

    // The text as the cross-attention layers read it [B, T, D'], and its mask when attention is masked.
    internal Tensor? Text { get; }

    internal Tensor? TextKeep { get; }

    // Per level (high → low), its micro-conditioning embedding [B, temporal]; null where the level has none.
    internal Tensor?[] Micro { get; }

    private IEnumerable<Tensor> Tensors => new[] { PooledText, Text, TextKeep }.Concat(Micro).OfType<Tensor>();

    internal PreparedConditioning MoveToOuterDisposeScope()
    {
        foreach (var tensor in Tensors) tensor.MoveToOuterDisposeScope();
        return this;
    }

    /// <summary>Frees the tensors now instead of with their dispose scope.</summary>
    public void Dispose()
    {
        foreach (var tensor in Tensors) tensor.Dispose();
    }
}
