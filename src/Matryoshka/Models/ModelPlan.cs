using System.Globalization;

namespace Matryoshka.Models;

/// <summary>
/// A validated <see cref="ModelConfig"/> with every level resolved (see <see cref="LevelPlan"/>), reproducing
/// the values ml-mdm's constructors derive: the time-embedding width, the text width after projection (which
/// ml-mdm writes back into the config and copies into the inner level), which level owns the text embedding.
/// </summary>
public sealed class ModelPlan
{
    private ModelPlan(ModelConfig config, IReadOnlyList<LevelPlan> levels)
    {
        Config = config;
        Levels = levels;
    }

    /// <summary>The validated config.</summary>
    public ModelConfig Config { get; }

    /// <summary>Every level, outermost (0) first.</summary>
    public IReadOnlyList<LevelPlan> Levels { get; }

    /// <summary>Input side of every level, high → low.</summary>
    public IReadOnlyList<int> Resolutions => Levels.Select(l => l.Resolution).ToArray();

    /// <summary>The innermost level, which owns the text pooling and projection.</summary>
    public LevelPlan Innermost => Levels[^1];

    /// <summary>Whether the model takes text embeddings.</summary>
    public bool IsTextConditioned => Config.TextEmbeddingDim > 0;

    /// <summary>
    /// Checks what a forward pass needs beyond what construction needs: in a text-conditioned model every level adds
    /// the innermost level's text embedding to its time embedding, so their widths must agree. ml-mdm builds (and
    /// saves checkpoints of) models that break this, so it is checked here, before running, not when building.
    /// </summary>
    /// <exception cref="ModelConfigurationException">A level's time width differs from the innermost level's.</exception>
    public void EnsureRunnable()
    {
        if (!IsTextConditioned) return;
        foreach (var level in Levels)
            Require(level.TemporalDim == Innermost.TemporalDim, level.ConfigPath + ".temporal_dim",
                $"is {level.TemporalDim} but the innermost level's is {Innermost.TemporalDim}; every level adds the innermost level's text embedding to its time embedding, so the widths must agree for the model to run");
    }

    /// <summary>
    /// The widest accepted time embedding, 2²⁴: far beyond any real model (ml-mdm's use 1,024 at most), yet its
    /// temporal_dim² linear layers stay well inside 64-bit size arithmetic, which 2³⁰ already overflows.
    /// </summary>
    public const int MaxTemporalDim = 1 << 24;

    internal static ModelPlan Create(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Require(config.UNet is not null, "unet_config", "is required");
        Require(config.InputChannels > 0, "input_channels", $"must be positive; got {config.InputChannels}");
        Require(config.OutputChannels > 0, "output_channels", $"must be positive; got {config.OutputChannels}");
        Require(config.Resolution > 0, "resolution", $"must be positive; got {config.Resolution}");
        Require(double.IsFinite(config.OutputScale), "diffusion_config.model_output_scale", $"must be a finite number; got {config.OutputScale}");
        Require(config.ClassCount >= 0, "categorical_conditioning", $"must not be negative; got {config.ClassCount}");
        Require(config.ClassCount == 0 || config.TextEmbeddingDim > 0, "categorical_conditioning",
            $"is {config.ClassCount}, but class labels are embedded into the text path, which needs text_embedding_dim > 0 (got {config.TextEmbeddingDim})");

        var levels = new List<LevelPlan>();
        int resolution = config.Resolution;
        int conditioningIn = config.TextEmbeddingDim > 0 ? config.TextEmbeddingDim : -1;
        string path = "unet_config", prefix = "";
        const int MaxLevels = 16;
        foreach (var level in config.UNet!.SelfAndInner())
        {
            Require(levels.Count < MaxLevels, path, $"nesting deeper than {MaxLevels} levels");
            ValidateLevel(level, path, resolution);

            int conditioning = conditioningIn > 0 && level.ConditioningFeatureProjDim > 0 ? level.ConditioningFeatureProjDim : conditioningIn;
            bool hasCondEmb = conditioning > 0 && !level.SkipCondEmb;
            levels.Add(new LevelPlan
            {
                Index = levels.Count,
                Config = level,
                ConfigPath = path,
                KeyPrefix = prefix,
                Resolution = resolution,
                TemporalDim = level.TemporalDim ?? 4 * level.ResolutionChannels[0],
                ConditioningDim = conditioning,
                ConditioningInputDim = conditioningIn,
                HasCondEmb = hasCondEmb,
                HasLmProj = hasCondEmb && level.ConditioningFeatureProjDim > 0,
                MicroConditioning = ParseMicroConditioning(level.MicroConditioning, path + ".micro_conditioning"),
                Scale = 1,
            });

            conditioningIn = conditioning;
            // A temporal level halves the frames, not the side, n − 1 times: the frame grid's side shrinks by √2^(n−1).
            resolution = level.TemporalMode ? resolution / TemporalNestRatio(level) : resolution >> (level.ResolutionCount - 1);
            path += ".inner_config";
            prefix += "inner_unet.";
        }

        int lowest = levels[^1].Resolution;
        var resolved = levels.Select(l => l with { Scale = l.Resolution / lowest }).ToArray();
        for (int i = 0; i + 1 < resolved.Length; i++)
            if (resolved[i].IsTemporal)
            {
                resolved[i] = resolved[i] with { InnerFrameGrid = resolved[i + 1].Scale };
                // The temporal attention block halves a frame with a stride-2 convolution and doubles it back.
                Require(resolved[i].FrameResolution % 2 == 0 || resolved[i].Config.NumTemporalAttentionLayers?.All(l => l == 0) != false,
                    resolved[i].ConfigPath + ".num_temporal_attention_layers",
                    $"temporal attention halves each {resolved[i].FrameResolution}² frame and doubles it back, which needs an even frame side");
                // ml-mdm's cross-attention pairs B·frames rows of queries with B rows of text and fails.
                long frames = (long)resolved[i].FrameGrid * resolved[i].FrameGrid;
                var level = resolved[i];
                Require(level.ConditioningDim <= 0 || level.Config.AttentionLevels.All(a => (frames >> a) <= 1 || level.Config.NumAttentionLayers[a] == 0),
                    level.ConfigPath + ".attention_levels",
                    $"[{string.Join(", ", level.Config.AttentionLevels)}] puts text cross-attention where a temporal level holds several frames per sample; ml-mdm's attention pairs the frames' rows with one text per sample and fails there");
            }
        var innermost = resolved[^1];
        if (config.TextEmbeddingDim > 0)
            Require(innermost.HasCondEmb, innermost.ConfigPath + ".skip_cond_emb",
                "the innermost level must own the text embedding (skip_cond_emb = false) in a text-conditioned model");
        return new ModelPlan(config, resolved);
    }

    private static void ValidateLevel(UNetConfig level, string path, int resolution)
    {
        int count = level.ResolutionChannels?.Count ?? 0;
        Require(count > 0, path + ".resolution_channels", "needs at least one entry");
        for (int i = 0; i < count; i++)
            Require(level.ResolutionChannels![i] > 0, path + ".resolution_channels", $"entry {i} is {level.ResolutionChannels[i]}; channels must be positive");
        RequireLength(level.NumResnetsPerResolution, count, path + ".num_resnets_per_resolution");
        RequireLength(level.NumAttentionLayers, count, path + ".num_attention_layers");
        for (int i = 0; i < count; i++)
        {
            Require(level.NumResnetsPerResolution[i] >= 1, path + ".num_resnets_per_resolution", $"entry {i} is {level.NumResnetsPerResolution[i]}; each resolution needs at least one ResNet");
            Require(level.NumAttentionLayers[i] >= 0, path + ".num_attention_layers", $"entry {i} is {level.NumAttentionLayers[i]}; must be ≥ 0");
        }
        Require(level.AttentionLevels is not null, path + ".attention_levels", "is required (may be empty)");
        foreach (int a in level.AttentionLevels!)
            Require(a >= 0 && a < count, path + ".attention_levels", $"index {a} is outside the {count} resolutions [0, {count - 1}]");
        Require(level.AttentionLevels.Distinct().Count() == level.AttentionLevels.Count, path + ".attention_levels",
            $"[{string.Join(", ", level.AttentionLevels)}] lists an index twice");

        // 64-bit: the default, 4 × the first channel count, must not wrap around for absurd channel counts.
        long temporal = level.TemporalDim ?? 4L * level.ResolutionChannels![0];
        Require(temporal > 0 && temporal % 8 == 0 && temporal <= MaxTemporalDim, path + ".temporal_dim",
            (level.TemporalDim is null ? $"is {temporal} (not set, so 4 × resolution_channels[0])" : $"is {temporal}") +
            $"; the time embedding width must be a positive multiple of 8, at most {MaxTemporalDim}");
        Require(level.NumLmHeadLayers >= 0, path + ".num_lm_head_layers", $"is {level.NumLmHeadLayers}; must be ≥ 0");
        Require(level.ResNet is not null, path + ".resnet_config", "is required");
        Require(level.ResNet!.NumGroupsNorm > 0, path + ".resnet_config.num_groups_norm", $"is {level.ResNet.NumGroupsNorm}; must be positive");
        Require(level.ResNet.Dropout >= 0 && level.ResNet.Dropout < 1, path + ".resnet_config.dropout", $"is {level.ResNet.Dropout.ToString(CultureInfo.InvariantCulture)}; must be in [0, 1)");

        ValidateTemporal(level, path, resolution);
        int divisor = level.TemporalMode ? TemporalNestRatio(level) : 1 << (count - 1);
        Require(resolution % divisor == 0, path + ".resolution_channels", level.TemporalMode
            ? $"a temporal level with {count} resolutions hands its inner level a grid {divisor}× smaller, but {resolution} is not divisible by {divisor}"
            : $"{count} resolutions halve the {resolution}² input {count - 1} times, but {resolution} is not divisible by {divisor}");

        if (level.Inner is not null)
        {
            Require(level.SkipMidBlocks, path + ".skip_mid_blocks", "must be true on a level that wraps another: the inner UNet takes the middle blocks' place");
        }
        else
        {
            Require(!level.SkipInnerUNetInput, path + ".skip_inner_unet_input", "is set on the innermost level, which wraps nothing");
            Require(!level.FreezeInnerUNet, path + ".freeze_inner_unet", "is set on the innermost level, which wraps nothing");
        }
    }

    // ml-mdm's nest ratio of a temporal level: √2^(n−1) (nested_unet.py), whole only for an odd resolution count.
    private static int TemporalNestRatio(UNetConfig level) => 1 << ((level.ResolutionCount - 1) / 2);

    // What ml-mdm's temporal path can actually run (fixtures/mlmdm/temporal_two_level/README.md, "findings").
    private static void ValidateTemporal(UNetConfig level, string path, int resolution)
    {
        int count = level.ResolutionCount;
        var layers = level.NumTemporalAttentionLayers;
        if (layers is not null)
        {
            RequireLength(layers, count, path + ".num_temporal_attention_layers");
            for (int i = 0; i < count; i++)
                Require(layers[i] >= 0, path + ".num_temporal_attention_layers", $"entry {i} is {layers[i]}; must be ≥ 0");
        }
        if (!level.TemporalMode)
        {
            Require(layers is null || layers.All(l => l == 0), path + ".num_temporal_attention_layers",
                $"[{string.Join(", ", layers ?? [])}] asks for temporal attention on a level without temporal_mode, where every sample is one frame");
            return;
        }
        Require(level.Inner is not null, path + ".temporal_mode",
            "is set on the innermost level; only a level that wraps another can be temporal (ml-mdm's plain UNet has no frame grid and fails with UnboundLocalError)");
        Require(count % 2 == 1, path + ".resolution_channels",
            $"a temporal level needs an odd number of resolutions: its {count - 1} time halvings must turn an S × S frame grid into a smaller square one (ml-mdm's nest ratio √2^(n−1) is not whole for {count})");
        for (int i = 0; i < count; i++)
        {
            if (layers is null || layers[i] == 0) continue;
            int channels = level.ResolutionChannels[i];
            Require(channels % 32 == 0, path + ".num_temporal_attention_layers",
                $"entry {i} asks for temporal attention on {channels} channels; ml-mdm's TemporalAttentionBlock uses heads of 32 channels, so the channels must be a multiple of 32");
        }
    }

    /// <summary>Parses <c>key:value[,key:value…]</c>, e.g. <c>scale:64</c>.</summary>
    internal static IReadOnlyList<KeyValuePair<string, double>> ParseMicroConditioning(string? text, string field)
    {
        if (text is null) return Array.Empty<KeyValuePair<string, double>>();
        var result = new List<KeyValuePair<string, double>>();
        foreach (var entry in text.Split(','))
        {
            var parts = entry.Split(':');
            Require(parts.Length == 2 && parts[0].Trim().Length > 0, field, $"'{text}': entry '{entry}' is not key:value");
            Require(double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && value > 0,
                field, $"'{text}': the default of '{parts[0]}' is not a positive number");
            string key = parts[0].Trim();
            Require(result.All(r => r.Key != key), field, $"'{text}' lists '{key}' twice");
            result.Add(new(key, value));
        }
        return result;
    }

    private static void RequireLength(IReadOnlyList<int>? list, int count, string field)
    {
        Require(list is not null, field, "is required");
        Require(list!.Count == count, field, $"has {list.Count} entries [{string.Join(", ", list)}] but resolution_channels has {count}");
    }

    internal static void Require(bool condition, string field, string problem)
    {
        if (!condition) throw new ModelConfigurationException(field, problem);
    }
}
