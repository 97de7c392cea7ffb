using TorchSharp;
using TorchSharp.Modules;
using Matryoshka.IO.Weights;
using static TorchSharp.torch;

namespace Matryoshka.Conditioning.T5;

/// <summary>
/// The encoder half of T5 (transformers' <c>T5EncoderModel</c>), for inference: token ids and a padding mask in, the
/// last hidden state [B, S, d_model] out, matching transformers number for number in float32. Its state_dict keys are
/// transformers' (<c>shared.weight</c>, <c>encoder.block.{i}.layer.0.SelfAttention.q.weight</c>, …,
/// <c>encoder.final_layer_norm.weight</c>), so Hugging Face checkpoints load directly (<see cref="FromPretrained"/>,
/// <see cref="LoadWeights"/>). Dropout is left out: the encoder always runs as in eval mode.
/// </summary>
/// <remarks>
/// Runs in float32, float64, bfloat16 or float16 (the dtype given at construction): RMS-norm statistics and the
/// attention softmax are always computed in float32, as upstream does. Build it on the meta device to inspect shapes
/// without allocating (a flan-t5-xl encoder holds 1.22 G parameters, 4.9 GB in float32).
/// </remarks>
public sealed class T5Encoder : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Embedding shared;
    private readonly T5Stack encoder;

    /// <summary>Builds an encoder of <paramref name="config"/>'s shape on <paramref name="device"/> (CPU by default) in <paramref name="dtype"/>, with untrained weights.</summary>
    /// <exception cref="ModelConfigurationException">The config is invalid (the field is named).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a floating-point type.</exception>
    public T5Encoder(T5EncoderConfig config, Device? device = null, ScalarType dtype = ScalarType.Float32) : base(nameof(T5Encoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "a T5 encoder runs in float32, float64, bfloat16 or float16");
        Config = config.Validate();
        Device = device ?? CPU;
        DType = dtype;
        shared = nn.Embedding(config.VocabSize, config.ModelDim, device: Device, dtype: dtype);
        encoder = new T5Stack(config, Device, dtype);
        RegisterComponents();
    }

    /// <summary>The encoder's shape.</summary>
    public T5EncoderConfig Config { get; }

    /// <summary>Where the weights live; inputs are moved here.</summary>
    public Device Device { get; }

    /// <summary>The dtype of the weights and of the output.</summary>
    public ScalarType DType { get; }

    /// <summary>
    /// Reads <c>config.json</c> and the weights (<c>model.safetensors</c>, or the shards listed by
    /// <c>model.safetensors.index.json</c>) of a Hugging Face T5 model folder into a new encoder in eval mode. Decoder
    /// weights in a full T5 checkpoint are ignored.
    /// </summary>
    /// <exception cref="MatryoshkaException">The folder, config or weights are missing, malformed or do not fit (named).</exception>
    public static T5Encoder FromPretrained(string folder, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder)) throw new ModelConfigurationException(folder, "folder not found");
        var model = new T5Encoder(T5EncoderConfig.FromFile(Path.Combine(folder, "config.json")), device, dtype);
        try
        {
            model.LoadWeights(folder);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Loads Hugging Face T5 weights: see <see cref="T5EncoderWeights.Load(T5Encoder, string)"/>.</summary>
    public WeightLoadReport LoadWeights(string path) => T5EncoderWeights.Load(this, path);

    /// <summary>Encodes token ids.</summary>
    /// <param name="input_ids">[B, S] token ids (any integer type), each below <c>vocab_size</c>.</param>
    /// <param name="attention_mask">[B, S], 1 (or true) for tokens and 0 for padding, or null when nothing is padded.
    /// Padded positions are still computed (attending to the tokens) and returned, as upstream; mask them afterwards.</param>
    /// <returns>The last hidden state [B, S, d_model] in <see cref="DType"/> on <see cref="Device"/>.</returns>
    /// <exception cref="ArgumentException">The inputs have the wrong rank, type or shape, or an id is out of range.</exception>
    public override Tensor forward(Tensor input_ids, Tensor? attention_mask) => Forward(input_ids, attention_mask, null);

    /// <summary>The forward pass, optionally recording transformers' <c>hidden_states</c> (embeddings, then each block's output).</summary>
    internal Tensor Forward(Tensor inputIds, Tensor? attentionMask, IList<Tensor>? hiddenStates)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        CheckInputs(inputIds, attentionMask);
        int recorded = hiddenStates?.Count ?? 0;
        using var scope = NewDisposeScope();
        using var inference = no_grad();
        var ids = inputIds.to(ScalarType.Int64, Device);
        var mask = attentionMask?.to(Device);
        var result = encoder.Forward(shared.call(ids), mask, hiddenStates);
        if (hiddenStates is not null) T5HiddenStates.MoveToOuterDisposeScope(hiddenStates, recorded);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Block 0's relative-position bias [1, H, q, k] before any padding mask (transformers' <c>compute_bias</c>).</summary>
    internal Tensor ComputePositionBias(long queryLength, long keyLength)
    {
        using var inference = no_grad();
        return encoder.ComputeBias(queryLength, keyLength);
    }

    private void CheckInputs(Tensor ids, Tensor? mask)
    {
        if (ids.dim() != 2 || !IsInteger(ids.dtype))
            throw new ArgumentException($"input_ids must be an integer [B, S] tensor; got {ids.dtype} [{string.Join(", ", ids.shape)}]", nameof(ids));
        if (mask is not null && !mask.shape.SequenceEqual(ids.shape))
            throw new ArgumentException($"attention_mask has shape [{string.Join(", ", mask.shape)}] but input_ids has [{string.Join(", ", ids.shape)}]", nameof(mask));
        if (ids.numel() == 0 || ids.device_type == DeviceType.META) return;
        using var scope = NewDisposeScope();
        var wide = ids.to(ScalarType.Int64);
        long lowest = wide.min().item<long>(), highest = wide.max().item<long>();
        if (lowest < 0 || highest >= Config.VocabSize)
            throw new ArgumentException($"input_ids hold {(lowest < 0 ? lowest : highest)}, outside the vocabulary [0, {Config.VocabSize})", nameof(ids));
    }

    private static bool IsInteger(ScalarType type) =>
        type is ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte;
}
