using System.Text.Json.Nodes;
using Matryoshka.IO.Configuration;
using Matryoshka.Models.Blocks;
using Matryoshka.Models;

namespace Matryoshka.Interop.MlMdm;

/// <summary>
/// Reads ml-mdm model configurations: the <c>unet_config</c> tree with ml-mdm's field names and defaults
/// (<c>UNetConfig</c>, and <c>NestedUNetConfig</c> for every level that has an <c>inner_config</c>), plus the
/// output resolution and text width. Works on a JSON tree, so it serves both the parity fixtures' config.json and
/// ml-mdm's YAML configs (<see cref="FromYamlFile"/>). Unknown fields are refused rather than silently ignored.
/// </summary>
public static partial class MlMdmModelConfig
{
    private static readonly HashSet<string> UNetFields = new(StringComparer.Ordinal)
    {
        "num_resnets_per_resolution", "temporal_dim", "attention_levels", "num_attention_layers", "num_temporal_attention_layers",
        "conditioning_feature_dim", "conditioning_feature_proj_dim", "num_lm_head_layers", "masked_cross_attention",
        "resolution_channels", "skip_mid_blocks", "skip_cond_emb", "nesting", "micro_conditioning", "temporal_mode",
        "temporal_spatial_ds", "temporal_positional_encoding", "resnet_config",
    };

    private static readonly HashSet<string> NestedFields = new(StringComparer.Ordinal)
    {
        "inner_config", "skip_inner_unet_input", "skip_normalization", "initialize_inner_with_pretrained", "freeze_inner_unet", "interp_conditioning",
    };

    private static readonly HashSet<string> ResNetFields = new(StringComparer.Ordinal)
    {
        "num_channels", "output_channels", "num_groups_norm", "dropout", "use_attention_ffn",
    };

    /// <summary>Reads a JSON file (e.g. a parity fixture's config.json).</summary>
    /// <param name="path">The file.</param>
    /// <param name="textEmbeddingDim">The text width, when the file does not fix it (ml-mdm sets it from the text encoder at run time).</param>
    public static ModelConfig FromJsonFile(string path, int? textEmbeddingDim = null) => FromJson(ConfigFiles.ReadJson(path), textEmbeddingDim);

    /// <summary>
    /// Reads a config tree. The resolution comes from <c>level_resolutions</c>/<c>resolutions_high_to_low</c> (fixtures),
    /// <c>sample_image_size</c> or <c>reader_config.image_size</c> (ml-mdm YAML); the text width from
    /// <paramref name="textEmbeddingDim"/>, <c>text_embedding_dim</c>, or <c>unet_config.conditioning_feature_dim</c>.
    /// </summary>
    public static ModelConfig FromJson(JsonObject root, int? textEmbeddingDim = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var top = new ConfigNode(root, "");
        var unetNode = top.Child("unet_config") ?? throw new ModelConfigurationException("unet_config", "is missing");
        var unet = ReadLevel(unetNode);

        int depth = unet.SelfAndInner().Count();
        if (top.String("model") is { } model) CheckModelName(model, depth);

        int textDim = textEmbeddingDim ?? top.Int("text_embedding_dim") ?? unetNode.Int("conditioning_feature_dim") ?? -1;
        return new ModelConfig
        {
            UNet = unet,
            Resolution = ReadResolution(top),
            TextEmbeddingDim = textDim,
            InputChannels = top.Int("input_channels") ?? 3,
            OutputChannels = top.Int("output_channels") ?? 3,
            ClassCount = top.Int("categorical_conditioning") ?? 0,
            OutputScale = depth == 1 ? OutputScale(top) : 0,
        };
    }

    private static UNetConfig ReadLevel(ConfigNode node)
    {
        var inner = node.Child("inner_config");
        bool nested = inner is not null;
        foreach (var key in node.Keys)
            if (!UNetFields.Contains(key) && !(nested && NestedFields.Contains(key)))
                throw node.Invalid(key, NestedFields.Contains(key)
                    ? "is a NestedUNet field but this level has no inner_config"
                    : "is not an ml-mdm UNetConfig field");
        // What ml-mdm's temporal path cannot run (or runs only without any temporal layer) is refused with the reason.
        if (node.Bool("temporal_positional_encoding") == true)
            throw node.Invalid("temporal_positional_encoding", "is not supported: ml-mdm imports rotary_embedding_torch for it, a package it does not declare, so its own code fails with ModuleNotFoundError");
        if (node.Bool("temporal_spatial_ds") == true)
            throw node.Invalid("temporal_spatial_ds", "is not supported: with it ml-mdm builds no temporal layers (and fails if num_temporal_attention_layers is set), leaving a frame grid with spatial resampling that no released model uses");

        var channels = node.IntList("resolution_channels") ?? new[] { 128, 256, 256, 512, 1024 };
        var defaults = new UNetConfig();
        return new UNetConfig
        {
            ResolutionChannels = channels,
            NumResnetsPerResolution = node.IntList("num_resnets_per_resolution", channels.Count) ?? Enumerable.Repeat(2, channels.Count).ToArray(),
            AttentionLevels = node.IntList("attention_levels") ?? defaults.AttentionLevels,
            NumAttentionLayers = node.IntList("num_attention_layers", channels.Count) ?? Enumerable.Repeat(1, channels.Count).ToArray(),
            TemporalDim = node.Int("temporal_dim"),
            ConditioningFeatureProjDim = node.Int("conditioning_feature_proj_dim") ?? -1,
            NumLmHeadLayers = node.Int("num_lm_head_layers") ?? 0,
            MaskedCrossAttention = node.Bool("masked_cross_attention") ?? true,
            // NestedUNetConfig changes these two defaults.
            SkipMidBlocks = node.Bool("skip_mid_blocks") ?? nested,
            SkipCondEmb = node.Bool("skip_cond_emb") ?? nested,
            MicroConditioning = node.String("micro_conditioning"),
            ResNet = ReadResNet(node.Child("resnet_config")),
            Inner = inner is { } innerNode ? ReadLevel(innerNode) : null,
            SkipInnerUNetInput = node.Bool("skip_inner_unet_input") ?? false,
            SkipNormalization = node.Bool("skip_normalization") ?? false,
            FreezeInnerUNet = node.Bool("freeze_inner_unet") ?? false,
            InterpConditioning = node.Bool("interp_conditioning") ?? false,
            TemporalMode = node.Bool("temporal_mode") ?? false,
            NumTemporalAttentionLayers = node.IntList("num_temporal_attention_layers"),
        };
    }

    private static ResNetConfig ReadResNet(ConfigNode? node)
    {
        if (node is not { } n) return new ResNetConfig();
        foreach (var key in n.Keys)
            if (!ResNetFields.Contains(key)) throw n.Invalid(key, "is not an ml-mdm ResNetConfig field");
        return new ResNetConfig
        {
            NumGroupsNorm = n.Int("num_groups_norm") ?? 32,
            Dropout = n.Double("dropout") ?? 0,
            UseAttentionFfn = n.Bool("use_attention_ffn") ?? false,
        };
    }

    private static int ReadResolution(ConfigNode top)
    {
        foreach (var key in new[] { "level_resolutions", "resolutions_high_to_low" })
            if (top.IntList(key) is { Count: > 0 } list) return list[0];
        if (top.Int("sample_image_size") is int sample) return sample;
        if (top.Child("reader_config")?.Int("image_size") is int image) return image;
        throw new ModelConfigurationException("sample_image_size",
            "the output resolution is missing (looked for level_resolutions, resolutions_high_to_low, sample_image_size and reader_config.image_size)");
    }

    // ml-mdm bounds the output in diffusion.Model.forward (diffusion.py:85-86), the single-UNet pipeline's model; the nested
    // pipeline's NestedModel.forward (diffusion.py:252-292) never applies it, so nested configs get 0.
    private static double OutputScale(ConfigNode top) => top.Child("diffusion_config")?.Double("model_output_scale") ?? 0;

    // ml-mdm's registry: unet (1 level), nested_unet (2), nested2_unet (3), … nested4_unet (5).
    private static void CheckModelName(string model, int depth)
    {
        int expected = model switch
        {
            "unet" => 1,
            "nested_unet" => 2,
            _ when model.StartsWith("nested", StringComparison.Ordinal) && model.EndsWith("_unet", StringComparison.Ordinal)
                && int.TryParse(model["nested".Length..^"_unet".Length], out int k) && k >= 2 => k + 1,
            _ => throw new ModelConfigurationException("model", $"'{model}' is not an ml-mdm vision model (unet, nested_unet, nested2_unet, …)"),
        };
        if (expected != depth)
            throw new ModelConfigurationException("model", $"'{model}' has {expected} levels but unet_config nests {depth}");
    }
}
