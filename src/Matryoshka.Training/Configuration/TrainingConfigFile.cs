namespace Matryoshka.Training.Configuration;

/// <summary>
/// The YAML file of a training configuration (<see cref="TrainingConfiguration"/>; <c>matryoshka train --config</c>) (see samples/configs/tiny-two-level.yaml). Paths inside it
/// are relative to the file. Field names are snake_case; unknown fields are refused so typos do not pass silently.
/// </summary>
public sealed class TrainingConfigFile
{
    /// <summary>The final model's config (ml-mdm .yaml or .json).</summary>
    public string? Model { get; set; }

    /// <summary>Text embedding width for ml-mdm YAML model configs that leave it to the encoder.</summary>
    public int? TextEmbeddingDim { get; set; }

    /// <summary>
    /// A weights file (.safetensors) the first stage's model starts from: the whole model's weights, or its inner
    /// level's (the model then grows from them, e.g. models/emoji-64/ema.safetensors into a 256² model). The EMA starts
    /// from them too.
    /// </summary>
    public string? InitWeights { get; set; }

    /// <summary>Seed of model initialisation, the trainer's draws and the data order.</summary>
    public ulong Seed { get; set; }

    /// <summary>float32 or bfloat16.</summary>
    public string Dtype { get; set; } = "float32";
    /// <summary>Train in bfloat16 even on a CPU where it is slow (refused otherwise; <c>BFloat16Support</c>).</summary>
    public bool AllowSlowBfloat16 { get; set; }

    /// <summary>The training data.</summary>
    public DataSection Data { get; set; } = new();

    /// <summary>How prompts or labels become conditioning.</summary>
    public ConditioningSection Conditioning { get; set; } = new();

    /// <summary>The base noise schedule.</summary>
    public ScheduleSection Schedule { get; set; } = new();

    /// <summary>AdamW and the learning-rate schedule.</summary>
    public OptimizerSection Optimizer { get; set; } = new();

    /// <summary>The EMA.</summary>
    public EmaSection Ema { get; set; } = new();

    /// <summary>The multi-resolution loss.</summary>
    public LossSection Loss { get; set; } = new();

    /// <summary>Checkpointing.</summary>
    public CheckpointSection Checkpoint { get; set; } = new();

    /// <summary>The progressive stages, innermost first.</summary>
    public List<StageSection> Stages { get; set; } = new();

    /// <summary>Training data section.</summary>
    public sealed class DataSection
    {
        /// <summary>image-folder, tsv or fashion-mnist.</summary>
        public string Kind { get; set; } = "image-folder";
        /// <summary>Folder, TSV file or IDX folder.</summary>
        public string? Path { get; set; }
        /// <summary>standard (x/127.5 − 1) or mlmdm ((x − 127)/128).</summary>
        public string Pixels { get; set; } = "standard";
        /// <summary>Samples per step.</summary>
        public int BatchSize { get; set; } = 8;
        /// <summary>Batches prepared ahead in the background.</summary>
        public int Prefetch { get; set; } = 2;
    }

    /// <summary>Conditioning section.</summary>
    public sealed class ConditioningSection
    {
        /// <summary>none (unconditional model), minilm (all-MiniLM-L6-v2 token embeddings of the captions) or class (the dataset's labels).</summary>
        public string Kind { get; set; } = "none";
        /// <summary>Longest caption in tokens (including [CLS] and [SEP]); longer ones are truncated.</summary>
        public int MaxTokens { get; set; } = 32;
        /// <summary>Captions whose embeddings are kept in memory (a dataset's captions repeat every epoch).</summary>
        public int CacheCapacity { get; set; } = 16384;
        /// <summary>Probability of replacing a sample's condition with the unconditional one (for classifier-free guidance).</summary>
        public double Dropout { get; set; }
    }

    /// <summary>Schedule section.</summary>
    public sealed class ScheduleSection
    {
        /// <summary>squaredcos_cap_v2, cosine_logsnr or linear.</summary>
        public string Kind { get; set; } = "squaredcos_cap_v2";
        /// <summary>Training timesteps.</summary>
        public int TrainSteps { get; set; } = 1000;
    }

    /// <summary>Optimizer section.</summary>
    public sealed class OptimizerSection
    {
        /// <summary>Base learning rate (ml-mdm: 5e-5).</summary>
        public double LearningRate { get; set; } = 5e-5;
        /// <summary>Linear warm-up steps.</summary>
        public long WarmupSteps { get; set; }
        /// <summary>constant (ml-mdm) or cosine (to min_learning_rate over each stage's updates after warm-up).</summary>
        public string Decay { get; set; } = "constant";
        /// <summary>The rate a cosine decay ends at.</summary>
        public double MinLearningRate { get; set; }
        /// <summary>Decoupled weight decay.</summary>
        public double WeightDecay { get; set; }
        /// <summary>Global gradient-norm clip (0 disables).</summary>
        public double MaxGradientNorm { get; set; } = 2.0;
        /// <summary>Micro-batches per update.</summary>
        public int GradientAccumulation { get; set; } = 1;
    }

    /// <summary>EMA section.</summary>
    public sealed class EmaSection
    {
        /// <summary>The decay (ml-mdm: 0.9999).</summary>
        public double Decay { get; set; } = 0.9999;
        /// <summary>EMA warm-up (diffusers' use_ema_warmup): decay min(decay, 1 − (1 + n)^−power).</summary>
        public bool Warmup { get; set; }
        /// <summary>Power of the EMA warm-up.</summary>
        public double Power { get; set; } = 2.0 / 3.0;
        /// <summary>Whether the inner levels' averages warm up too (false: only the new outer level's, so a grown model keeps its inner average).</summary>
        public bool WarmupInner { get; set; } = true;
    }

    /// <summary>Loss section.</summary>
    public sealed class LossSection
    {
        /// <summary>epsilon, v_prediction or sample.</summary>
        public string Prediction { get; set; } = "v_prediction";
        /// <summary>What the loss compares: epsilon, v_prediction or sample.</summary>
        public string Target { get; set; } = "epsilon";
        /// <summary>Per-level weights high → low, e.g. "4:1"; empty for all 1.</summary>
        public string? LevelWeights { get; set; }
        /// <summary>Weight each sample by its VDM weight SNR(t)/SNR(t + 1) − 1 (ml-mdm use_vdm_loss_weights).</summary>
        public bool VdmWeights { get; set; }
    }

    /// <summary>Checkpoint section.</summary>
    public sealed class CheckpointSection
    {
        /// <summary>Steps between checkpoints.</summary>
        public long Every { get; set; } = 500;
        /// <summary>How many to keep.</summary>
        public int Keep { get; set; } = 3;
        /// <summary>Leave the frozen initial weights out of the first stage's checkpoints (they are put back from init_weights).</summary>
        public bool OmitFrozen { get; set; }
    }

    /// <summary>One stage.</summary>
    public sealed class StageSection
    {
        /// <summary>How many of the final model's levels (innermost first) this stage trains.</summary>
        public int Levels { get; set; }
        /// <summary>Steps of this stage.</summary>
        public long Steps { get; set; }
        /// <summary>Shifted-schedule power of this stage.</summary>
        public double ShiftPower { get; set; } = 1;
        /// <summary>Divide each level's image by its scale instead of shifting its schedule (ml-mdm schedule_shifted: false).</summary>
        public bool RescaleSignal { get; set; }
        /// <summary>Freeze the inner UNet.</summary>
        public bool FreezeInner { get; set; }
        /// <summary>Freeze only the innermost k levels (e.g. 1: the lowest resolution), training the levels between.</summary>
        public int FreezeLevels { get; set; }
        /// <summary>The inner UNet's learning rate as a fraction of the stage's (0 … 1): joint training at a lower rate instead of freezing.</summary>
        public double InnerLearningRateScale { get; set; } = 1;
        /// <summary>Carry the inner weights' optimizer moments over from the previous stage.</summary>
        public bool CarryOptimizerState { get; set; } = true;
    }

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="TrainingConfigException">The file is missing, not YAML, has an unknown field, or a value of the wrong type.</exception>
    public static TrainingConfigFile Load(string path) => Load(path, out _);

    /// <summary>Reads <paramref name="path"/> and gives its text too.</summary>
    internal static TrainingConfigFile Load(string path, out string text) =>
        SnakeCaseYaml.Load<TrainingConfigFile>(path, "a training configuration",
            (problem, inner) => inner is null ? new TrainingConfigException(path, problem) : new TrainingConfigException(path, problem, inner), out text);
}
