using System.Text.Json;
using Matryoshka.Conditioning;
using Matryoshka.Diffusion;
using Matryoshka.ImageSharp;
using Matryoshka.ImageSharp.Training;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Matryoshka.Schedules;
using Matryoshka.Text.MiniLM;
using Matryoshka.Training;
using Matryoshka.Training.Data;
using Matryoshka.Training.Runs;
using static TorchSharp.torch;

namespace Matryoshka.Training.Configuration;

/// <summary>Turns a <see cref="TrainingConfiguration"/> into the library's <see cref="TrainingRunOptions"/>, checking every field.</summary>
internal static class TrainingSetup
{
    /// <param name="configuration">The training configuration.</param>
    /// <param name="outputFolder">Where checkpoints, loss.csv and train.log go.</param>
    /// <param name="seed">Replaces the configuration's seed; the checkpoints' recorded configuration says so.</param>
    /// <param name="device">Where the model and batches live (default: the CPU).</param>
    /// <param name="memoryLimitBytes">Most bytes a stage's estimated peak training memory may be; null: the machine's memory on the CPU.</param>
    public static TrainingRunSetup Create(TrainingConfiguration configuration, string outputFolder, ulong? seed = null, Device? device = null,
        long? memoryLimitBytes = null)
    {
        device ??= CPU;
        var config = configuration.File;
        var configPath = configuration.Path;
        ulong runSeed = seed ?? config.Seed;
        var folder = Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        string Resolve(string? relative, string field) => string.IsNullOrWhiteSpace(relative)
            ? throw new TrainingConfigException(configPath, $"{field} is required.")
            : Path.GetFullPath(Path.Combine(folder, relative));

        ModelConfig final;
        try { final = ModelConfigFiles.Load(Resolve(config.Model, "model"), config.TextEmbeddingDim); }
        catch (ModelConfigurationException e) { throw new TrainingConfigException(configPath, $"model: {e.Message}", e); }
        var levels = final.Plan().Levels.Count;

        if (config.Stages.Count == 0) throw new TrainingConfigException(configPath, "stages: at least one stage is required.");
        var stages = config.Stages.Select((s, i) =>
        {
            if (s.Levels < 1 || s.Levels > levels)
                throw new TrainingConfigException(configPath, $"stages[{i}].levels must be between 1 and the model's {levels} levels; got {s.Levels}.");
            return new TrainingStage
            {
                Model = ModelStages.Innermost(final, s.Levels),
                Steps = s.Steps,
                ShiftPower = s.ShiftPower,
                RescaleSignal = s.RescaleSignal,
                FreezeInner = s.FreezeInner,
                FreezeLevels = s.FreezeLevels,
                InnerLearningRateScale = s.InnerLearningRateScale,
                CarryOptimizerState = s.CarryOptimizerState,
            };
        }).ToArray();
        var dtypeForBudget = config.Dtype == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32;
        int textTokens = config.Conditioning.Kind == "minilm" ? Math.Max(0, config.Conditioning.MaxTokens) : 0;
        var memory = StageMemory.Check(configPath, stages, dtypeForBudget, config.Data.BatchSize, textTokens,
            memoryLimitBytes ?? (device.type == TorchSharp.DeviceType.CPU ? TrainingMemory.MachineBytes : null));
        var initWeights = config.InitWeights is null ? null : Resolve(config.InitWeights, "init_weights");
        GrowthFields.Check(configPath, config, stages, initWeights);

        var dtype = config.Dtype switch
        {
            "float32" => ScalarType.Float32,
            "bfloat16" => ScalarType.BFloat16,
            var other => throw new TrainingConfigException(configPath, $"dtype must be float32 or bfloat16; got '{other}'."),
        };
        var (encoder, conditioner, unconditional) = Conditioning(configPath, config, final);

        var trainer = new TrainerOptions
        {
            LearningRate = config.Optimizer.LearningRate,
            WarmupSteps = config.Optimizer.WarmupSteps,
            WeightDecay = config.Optimizer.WeightDecay,
            MaxGradientNorm = config.Optimizer.MaxGradientNorm,
            GradientAccumulationSteps = config.Optimizer.GradientAccumulation,
            EmaDecay = config.Ema.Decay,
            EmaWarmup = config.Ema.Warmup,
            EmaWarmupPower = config.Ema.Power,
            EmaWarmupInner = config.Ema.WarmupInner,
            MinLearningRate = config.Optimizer.MinLearningRate,
            ConditioningDropout = config.Conditioning.Dropout,
            UnconditionalText = config.Conditioning.Dropout > 0 ? unconditional : null,
            Seed = runSeed,
            Loss = new MultiResolutionLossOptions
            {
                ModelPrediction = Enum<PredictionType>(configPath, "loss.prediction", config.Loss.Prediction),
                LossTarget = Enum<PredictionType>(configPath, "loss.target", config.Loss.Target),
                LevelWeights = string.IsNullOrWhiteSpace(config.Loss.LevelWeights) ? null : MultiResolutionLossOptions.ParseLevelWeights(config.Loss.LevelWeights),
                VdmWeights = config.Loss.VdmWeights,
            },
        };
        if (trainer.Loss.LevelWeights is { } weights && weights.Count != levels)
            throw new TrainingConfigException(configPath, $"loss.level_weights has {weights.Count} values; the final model has {levels} levels. Each stage uses the weights of its innermost levels.");
        var schedule = NoiseSchedules.Create(Enum<ScheduleKind>(configPath, "schedule.kind", config.Schedule.Kind), config.Schedule.TrainSteps);

        var dataPath = Resolve(config.Data.Path, "data.path");
        var channels = final.InputChannels;
        Func<int, ITrainingDataset> dataset = config.Data.Kind switch
        {
            "image-folder" => resolution => new ImageFolderDataset(dataPath, new ImageDatasetOptions { Resolution = resolution, Convention = Convention(configPath, config), Channels = channels }),
            "tsv" => resolution => new TsvIndexDataset(dataPath, new ImageDatasetOptions { Resolution = resolution, Convention = Convention(configPath, config), Channels = channels }),
            "fashion-mnist" => resolution => FashionMnistDataset.Open(FashionMnistSplit.Train, dataPath, new FashionMnistOptions
            {
                Resolution = resolution,
                Channels = channels,
                Normalization = Convention(configPath, config) == PixelConvention.MlMdm ? PixelNormalization.MlMdm : PixelNormalization.Standard,
            }),
            var other => throw new TrainingConfigException(configPath, $"data.kind must be image-folder, tsv or fashion-mnist; got '{other}'."),
        };

        var options = new TrainingRunOptions
        {
            Stages = stages,
            Schedule = schedule,
            Trainer = trainer,
            Dataset = dataset,
            Conditioner = conditioner,
            CosineDecayPerStage = config.Optimizer.Decay switch
            {
                "constant" => false,
                "cosine" => true,
                var other => throw new TrainingConfigException(configPath, $"optimizer.decay must be constant or cosine; got '{other}'."),
            },
            Batches = new TrainingBatchesOptions { BatchSize = config.Data.BatchSize, PrefetchBatches = config.Data.Prefetch, Seed = runSeed },
            // Seeded per stage so initialisation is reproducible, also when a resumed run grows into a stage the
            // interrupted one never reached.
            CreateModel = (model, stage) => SeededInitialisation.Run(unchecked((long)runSeed * 1000 + stage), () => new NestedUNet(model, device, dtype)),
            CheckpointDirectory = Path.Combine(outputFolder, "checkpoints"),
            InitialWeights = initWeights,
            OmitFrozenFromCheckpoints = config.Checkpoint.OmitFrozen,
            CheckpointEvery = config.Checkpoint.Every,
            KeepCheckpoints = config.Checkpoint.Keep,
            LossLogPath = Path.Combine(outputFolder, "loss.csv"),
            RunLogPath = Path.Combine(outputFolder, "train.log"),
            Configuration = configuration.Text + (seed is null ? "" : $"\n# seed replaced by the experiment runner: {seed}\n"),
            DType = dtype,
            AllowSlowBFloat16 = config.AllowSlowBfloat16,
            Device = device,
        };
        try { options.Validate(); }
        catch (TrainerOptionsException e)
        {
            encoder?.Dispose();
            throw new TrainingConfigException(configPath, e.Message, e);
        }
        return new TrainingRunSetup(options, encoder, encoder) { MemoryEstimates = memory };
    }

    // Unconditional models take no text; MiniLM models take the caption's token embeddings, and for classifier-free
    // guidance a dropped caption becomes the encoding of "" — the pipeline's default negative prompt, so sampling
    // guides against exactly what was trained as "no prompt".
    private static (MiniLMTextEncoder?, Func<TrainingBatch, Device, TextConditioning?>?, TextConditioning?) Conditioning(
        string configPath, TrainingConfigFile config, ModelConfig final)
    {
        var section = config.Conditioning;
        bool textModel = final.Plan().IsTextConditioned;
        if ((section.Kind == "class") != (final.ClassCount > 0))
            throw new TrainingConfigException(configPath, final.ClassCount > 0
                ? $"the model is class-conditional ({final.ClassCount} classes); set conditioning.kind to class."
                : "conditioning.kind class needs a class-conditional model (categorical_conditioning > 0 in its config).");
        switch (section.Kind)
        {
            case "class":
                return (null, null, null); // labels come from the dataset; dropped ones become the learned no-class token
            case "none" when !textModel:
                if (section.Dropout != 0) throw new TrainingConfigException(configPath, "conditioning.dropout needs a conditioned model (kind: minilm).");
                return (null, null, null);
            case "none":
                throw new TrainingConfigException(configPath, $"the model is text-conditioned (width {final.TextEmbeddingDim}); set conditioning.kind to minilm.");
            case "minilm":
                if (final.TextEmbeddingDim != MiniLMTextEncoder.HiddenSize)
                    throw new TrainingConfigException(configPath, $"conditioning.kind minilm gives {MiniLMTextEncoder.HiddenSize}-wide embeddings; the model's text width is {final.TextEmbeddingDim} (set text_embedding_dim: 384).");
                MiniLMTextEncoder encoder;
                try { encoder = new MiniLMTextEncoder(new MiniLMTextEncoderOptions { MaxTokens = section.MaxTokens, CacheCapacity = section.CacheCapacity }); }
                catch (ArgumentException e) { throw new TrainingConfigException(configPath, $"conditioning: {e.Message}", e); }
                using (NewDisposeScope())
                {
                    var empty = encoder.Encode(new[] { "" }, CPU); // the trainer moves it to the run's device
                    var unconditional = new TextConditioning(empty.Embeddings.DetachFromDisposeScope(), empty.Mask.DetachFromDisposeScope());
                    return (encoder, (batch, device) => encoder.Encode(batch.Captions, device), unconditional);
                }
            default:
                throw new TrainingConfigException(configPath, $"conditioning.kind must be none, minilm or class; got '{section.Kind}'.");
        }
    }

    private static PixelConvention Convention(string path, TrainingConfigFile config) => config.Data.Pixels switch
    {
        "standard" => PixelConvention.Standard,
        "mlmdm" => PixelConvention.MlMdm,
        var other => throw new TrainingConfigException(path, $"data.pixels must be standard or mlmdm; got '{other}'."),
    };

    private static T Enum<T>(string path, string field, string value) where T : struct, Enum
    {
        try { return JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value)); }
        catch (JsonException) { throw new TrainingConfigException(path, $"{field}: unknown value '{value}'."); }
    }
}
