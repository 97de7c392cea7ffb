using System.Text.Json.Nodes;
using Matryoshka.IO.Configuration;
using Matryoshka.IO.Weights;
using static TorchSharp.torch;

namespace Matryoshka.Conditioning.T5;

/// <summary>
/// The shape of a T5 encoder, with the field names of a Hugging Face T5 <c>config.json</c> (named in each property's
/// documentation). Use <see cref="FromFile"/> for a downloaded model, <see cref="FlanT5Xl"/> for the encoder ml-mdm
/// conditions on, or a <c>with</c> expression on it for other sizes; <see cref="Validate"/> runs before any encoder is built.
/// </summary>
public sealed record T5EncoderConfig
{
    /// <summary>Upper bounds that catch a corrupt or hostile config before it sizes any allocation.</summary>
    private const int MaxVocabSize = 1 << 21, MaxWidth = 1 << 16, MaxFeedForward = 1 << 18, MaxLayers = 1024, MaxHeads = 1024,
        MaxBuckets = 1 << 12, MaxDistance = 1 << 20;

    /// <summary><c>vocab_size</c>: rows of the token embedding (32128 for T5 and flan-T5).</summary>
    public int VocabSize { get; init; } = 32128;

    /// <summary><c>d_model</c>: width of the hidden states and of the encoder's output.</summary>
    public int ModelDim { get; init; } = 512;

    /// <summary><c>d_kv</c>: width of each attention head (heads × d_kv need not equal d_model).</summary>
    public int KeyValueDim { get; init; } = 64;

    /// <summary><c>d_ff</c>: inner width of the feed-forward layers.</summary>
    public int FeedForwardDim { get; init; } = 2048;

    /// <summary><c>num_layers</c>: number of encoder blocks.</summary>
    public int NumLayers { get; init; } = 6;

    /// <summary><c>num_heads</c>: attention heads per block.</summary>
    public int NumHeads { get; init; } = 8;

    /// <summary><c>relative_attention_num_buckets</c>: relative-position buckets (half for each direction in the encoder).</summary>
    public int RelativeAttentionNumBuckets { get; init; } = 32;

    /// <summary><c>relative_attention_max_distance</c>: distances at or beyond this share the last bucket of their direction.</summary>
    public int RelativeAttentionMaxDistance { get; init; } = 128;

    /// <summary><c>layer_norm_epsilon</c>: added to the mean square in every RMS layer norm.</summary>
    public double LayerNormEpsilon { get; init; } = 1e-6;

    /// <summary>
    /// <c>dense_act_fn</c>: the feed-forward activation. From a config file it derives from <c>feed_forward_proj</c> as
    /// transformers derives it (the part after <c>gated-</c>; <c>"gated-gelu"</c> means <see cref="T5Activation.GeluNew"/>).
    /// </summary>
    public T5Activation Activation { get; init; } = T5Activation.Relu;

    /// <summary>
    /// <c>is_gated_act</c>: true for the gated feed-forward of T5 v1.1 and flan-T5, <c>wo(act(wi_0·x) ⊙ wi_1·x)</c>;
    /// false for original T5's <c>wo(act(wi·x))</c>.
    /// </summary>
    public bool IsGated { get; init; }

    /// <summary>The encoder of <c>google/flan-t5-xl</c> (the text encoder of ml-mdm's released models): 24 layers of width 2048, 32 heads of 64, gated-GELU feed-forward of 5120.</summary>
    public static T5EncoderConfig FlanT5Xl { get; } = new()
    {
        VocabSize = 32128, ModelDim = 2048, KeyValueDim = 64, FeedForwardDim = 5120, NumLayers = 24, NumHeads = 32,
        RelativeAttentionNumBuckets = 32, RelativeAttentionMaxDistance = 128, LayerNormEpsilon = 1e-6,
        Activation = T5Activation.GeluNew, IsGated = true,
    };

    /// <summary>transformers' spelling of the feed-forward type: <c>relu</c>, <c>gated-gelu</c>, <c>gated-silu</c>, …</summary>
    public string FeedForwardProj => IsGated ? "gated-" + (Activation == T5Activation.GeluNew ? "gelu" : T5Activations.Name(Activation)) : T5Activations.Name(Activation);

    /// <summary>
    /// Parameters of an encoder of this shape (its state_dict elements, the embedding counted once):
    /// V·D + L·(4·D·H·d_kv + (3 gated, 2 plain)·D·d_ff + 2·D) + buckets·H + D. Computed, nothing is allocated.
    /// </summary>
    public long ParameterCount
    {
        get
        {
            long d = ModelDim, inner = (long)NumHeads * KeyValueDim;
            long perLayer = 4 * d * inner + (IsGated ? 3 : 2) * d * FeedForwardDim + 2 * d;
            return VocabSize * d + NumLayers * perLayer + (long)RelativeAttentionNumBuckets * NumHeads + d;
        }
    }

    /// <summary>Bytes the weights take in <paramref name="dtype"/> (a floating-point type), as for memory estimates.</summary>
    public long WeightBytes(ScalarType dtype) => ParameterCount * WeightSizes.BytesPerElement(dtype);

    /// <summary>Checks every field, throwing for the first out of range.</summary>
    /// <exception cref="ModelConfigurationException">A field is out of range; the message names it (config.json spelling) and its value.</exception>
    public T5EncoderConfig Validate()
    {
        Check("vocab_size", VocabSize, 1, MaxVocabSize);
        Check("d_model", ModelDim, 1, MaxWidth);
        Check("d_kv", KeyValueDim, 1, MaxWidth);
        Check("d_ff", FeedForwardDim, 1, MaxFeedForward);
        Check("num_layers", NumLayers, 1, MaxLayers);
        Check("num_heads", NumHeads, 1, MaxHeads);
        Check("num_heads × d_kv", (long)NumHeads * KeyValueDim, 1, MaxWidth);
        // Bidirectional buckets: half per direction, half of those exact; the logarithmic rest needs at least one exact
        // bucket and a maximum distance beyond the exact range.
        Check("relative_attention_num_buckets", RelativeAttentionNumBuckets, 4, MaxBuckets);
        Check("relative_attention_max_distance", RelativeAttentionMaxDistance, RelativeAttentionNumBuckets / 4 + 1, MaxDistance);
        if (!(LayerNormEpsilon > 0 && LayerNormEpsilon < 1))
            throw new ModelConfigurationException("layer_norm_epsilon", FormattableString.Invariant($"must be a number in (0, 1); got {LayerNormEpsilon}"));
        if (!Enum.IsDefined(Activation))
            throw new ModelConfigurationException("dense_act_fn", $"'{Activation}' is not one of {T5Activations.Supported}");
        return this;
    }

    /// <summary>Reads and validates a Hugging Face T5 <c>config.json</c>.</summary>
    /// <exception cref="ModelConfigurationException">The file is missing, not JSON, or a field is missing or invalid (named).</exception>
    public static T5EncoderConfig FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new ModelConfigurationException(path, "file not found");
        return FromJson(ConfigFiles.ReadJson(path));
    }

    /// <summary>
    /// Reads and validates a parsed T5 <c>config.json</c>. The shape fields (<c>vocab_size</c>, <c>d_model</c>,
    /// <c>d_kv</c>, <c>d_ff</c>, <c>num_layers</c>, <c>num_heads</c>) are required; the others default as transformers'
    /// <c>T5Config</c> does (32 buckets, max distance 128, ε 1e-6, <c>feed_forward_proj</c> "relu"), since early configs
    /// on the Hub omit them. <c>dense_act_fn</c> and <c>is_gated_act</c>, when present, override what
    /// <c>feed_forward_proj</c> implies, as they do in transformers (they are set after it).
    /// </summary>
    /// <exception cref="ModelConfigurationException">A field is missing or invalid; the message names it.</exception>
    public static T5EncoderConfig FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var node = new ConfigNode(json, "");
        var modelType = node.String("model_type");
        if (modelType is not null and not "t5" and not "mt5")
            throw node.Invalid("model_type", $"'{modelType}' is not a T5 encoder (expected \"t5\" or \"mt5\")");
        var (activation, gated) = ParseFeedForwardProj(node.String("feed_forward_proj") ?? "relu");
        if (node.String("dense_act_fn") is { } actName)
            activation = T5Activations.TryParse(actName, out var parsed) ? parsed
                : throw node.Invalid("dense_act_fn", $"'{actName}' is not one of {T5Activations.Supported}");
        gated = node.Bool("is_gated_act") ?? gated;
        return new T5EncoderConfig
        {
            VocabSize = Required(node, "vocab_size"),
            ModelDim = Required(node, "d_model"),
            KeyValueDim = Required(node, "d_kv"),
            FeedForwardDim = Required(node, "d_ff"),
            NumLayers = Required(node, "num_layers"),
            NumHeads = Required(node, "num_heads"),
            RelativeAttentionNumBuckets = node.Int("relative_attention_num_buckets") ?? 32,
            RelativeAttentionMaxDistance = node.Int("relative_attention_max_distance") ?? 128,
            LayerNormEpsilon = node.Double("layer_norm_epsilon") ?? 1e-6,
            Activation = activation,
            IsGated = gated,
        }.Validate();
    }

    /// <summary>transformers' rule: <c>"{act}"</c> or <c>"gated-{act}"</c>; <c>"gated-gelu"</c> means <c>gelu_new</c>.</summary>
    private static (T5Activation Activation, bool Gated) ParseFeedForwardProj(string text)
    {
        var parts = text.Split('-');
        bool gated = parts[0] == "gated";
        if ((parts.Length > 1 && !gated) || parts.Length > 2)
            throw new ModelConfigurationException("feed_forward_proj", $"'{text}' is not of the form \"{{act}}\" or \"gated-{{act}}\" (e.g. \"relu\", \"gated-gelu\")");
        if (text == "gated-gelu") return (T5Activation.GeluNew, true);
        return T5Activations.TryParse(parts[^1], out var activation)
            ? (activation, gated)
            : throw new ModelConfigurationException("feed_forward_proj", $"'{text}': activation '{parts[^1]}' is not one of {T5Activations.Supported}");
    }

    private static int Required(ConfigNode node, string key) => node.Int(key) ?? throw node.Invalid(key, "is missing");

    private static void Check(string field, long value, long min, long max)
    {
        if (value < min || value > max)
            throw new ModelConfigurationException(field, $"must be between {min} and {max}; got {value}");
    }
}
