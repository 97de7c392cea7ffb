using System.Text.Json;
using Matryoshka.Diffusion;
using Matryoshka.ImageSharp;
using Matryoshka.ImageSharp.Training;
using Matryoshka.Models;
using Matryoshka.Schedules;
using Matryoshka.Training;
using Matryoshka.Training.Data;
using Matryoshka.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Cli.Training;

/// <summary>Turns a <see cref="TrainingConfigFile"/> into the library's <see cref="TrainingRunOptions"/>, checking every field.</summary>
internal static class TrainingSetup
{
    public static TrainingRunOptions Create(string configPath, string outputFolder)
    {
        var config = TrainingConfigFile.Load(configPath);
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
                FreezeInner = s.FreezeInner,
                CarryOptimizerState = s.CarryOptimizerState,
            };
        }).ToArray();

        var dtype = config.Dtype switch
        {
            "float32" => ScalarType.Float32,
            "bfloat16" => ScalarType.BFloat16,
            var other => throw new TrainingConfigException(configPath, $"dtype must be float32 or bfloat16; got '{other}'."),
        };
        if (config.Conditioning.Kind != "none" || final.Plan().IsTextConditioned)
            throw new TrainingConfigException(configPath, $"conditioning.kind '{config.Conditioning.Kind}' with a {(final.Plan().IsTextConditioned ? "text-conditioned" : "unconditional")} model is not supported yet by this command; use kind: none with an unconditional model.");

        var trainer = new TrainerOptions
        {
            LearningRate = config.Optimizer.LearningRate,
            WarmupSteps = config.Optimizer.WarmupSteps,
            WeightDecay = config.Optimizer.WeightDecay,
            MaxGradientNorm = config.Optimizer.MaxGradientNorm,
            GradientAccumulationSteps = config.Optimizer.GradientAccumulation,
            EmaDecay = config.Ema.Decay,
            ConditioningDropout = config.Conditioning.Dropout,
            Seed = config.Seed,
            Loss = new MultiResolutionLossOptions
            {
                ModelPrediction = Enum<PredictionType>(configPath, "loss.prediction", config.Loss.Prediction),
                LossTarget = Enum<PredictionType>(configPath, "loss.target", config.Loss.Target),
                LevelWeights = string.IsNullOrWhiteSpace(config.Loss.LevelWeights) ? null : MultiResolutionLossOptions.ParseLevelWeights(config.Loss.LevelWeights),
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
            Batches = new TrainingBatchesOptions { BatchSize = config.Data.BatchSize, PrefetchBatches = config.Data.Prefetch, Seed = config.Seed },
            CreateModel = (model, stage) =>
            {
                // The application (not the library) seeds torch's global generator so initialisation is reproducible,
                // also when a resumed run grows into a stage the interrupted one never reached.
                torch.manual_seed(unchecked((long)config.Seed * 1000 + stage));
                return new NestedUNet(model, CPU, dtype);
            },
            CheckpointDirectory = Path.Combine(outputFolder, "checkpoints"),
            CheckpointEvery = config.Checkpoint.Every,
            KeepCheckpoints = config.Checkpoint.Keep,
            LossLogPath = Path.Combine(outputFolder, "loss.csv"),
            Configuration = File.ReadAllText(configPath),
            DType = dtype,
        };
        try { options.Validate(); }
        catch (TrainerOptionsException e) { throw new TrainingConfigException(configPath, e.Message, e); }
        return options;
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
