using Matryoshka.Training;
using Matryoshka.Training.Runs;

namespace Matryoshka.Training.Configuration;

/// <summary>
/// Checks the fields that let a run grow a trained model instead of restarting (init_weights, a stage's freeze_inner,
/// freeze_levels or inner_learning_rate_scale, ema.warmup_inner, checkpoint.omit_frozen), so a mistake names its field
/// and file before anything is trained.
/// </summary>
internal static class GrowthFields
{
    /// <summary>Checks the fields against the stages built from them.</summary>
    /// <param name="configPath">The training configuration (for messages).</param>
    /// <param name="config">Its content.</param>
    /// <param name="stages">Its stages.</param>
    /// <param name="initWeights">init_weights resolved against the configuration's folder, or null.</param>
    /// <exception cref="TrainingConfigException">A field is out of range, contradicts another or the weights do not fit.</exception>
    public static void Check(string configPath, TrainingConfigFile config, IReadOnlyList<TrainingStage> stages, string? initWeights)
    {
        if (initWeights is not null)
        {
            if (!File.Exists(initWeights)) throw new TrainingConfigException(configPath, $"init_weights: {initWeights} does not exist.");
            try { InitialWeights.Check(initWeights, stages[0].Model); }
            catch (MatryoshkaException e) { throw new TrainingConfigException(configPath, $"init_weights: {initWeights}: {e.Message}", e); }
        }
        for (int i = 0; i < config.Stages.Count; i++)
        {
            var stage = config.Stages[i];
            bool scaled = stage.InnerLearningRateScale != 1;
            if (stage.InnerLearningRateScale is not (>= 0 and <= 1))
                throw new TrainingConfigException(configPath, $"stages[{i}].inner_learning_rate_scale must be between 0 and 1; got {stage.InnerLearningRateScale}.");
            if (stage.FreezeLevels < 0 || stage.FreezeLevels > stage.Levels - 1)
                throw new TrainingConfigException(configPath, $"stages[{i}].freeze_levels must be between 0 and the stage's {stage.Levels - 1} inner levels; got {stage.FreezeLevels}.");
            if (stage.FreezeInner && stage.FreezeLevels != 0)
                throw new TrainingConfigException(configPath, $"stages[{i}]: freeze_inner (every inner level) and freeze_levels exclude each other.");
            if (scaled && (stage.FreezeInner || stage.FreezeLevels == stage.Levels - 1))
                throw new TrainingConfigException(configPath, $"stages[{i}]: inner_learning_rate_scale with every inner level frozen (freeze_inner or freeze_levels) has nothing to scale.");
            if (scaled && stage.Levels == 1)
                throw new TrainingConfigException(configPath, $"stages[{i}].inner_learning_rate_scale: a one-level stage has no inner level.");
            if (i == 0 && scaled && initWeights is null)
                throw new TrainingConfigException(configPath, "stages[0].inner_learning_rate_scale needs init_weights: without them the first stage's inner level is untrained.");
        }
        if (!config.Ema.WarmupInner && !config.Ema.Warmup)
            throw new TrainingConfigException(configPath, "ema.warmup_inner: false (only the new level's average warms up) needs ema.warmup: true.");
        if (config.Checkpoint.OmitFrozen && (initWeights is null || !(config.Stages[0].FreezeInner || config.Stages[0].FreezeLevels > 0)))
            throw new TrainingConfigException(configPath, "checkpoint.omit_frozen needs init_weights and a first stage that freezes (freeze_inner or freeze_levels): the weights left out are the frozen initial ones.");
    }
}
