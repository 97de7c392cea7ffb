using Matryoshka.Evaluation;
using Matryoshka.Training.Configuration;

namespace Matryoshka.Training.Experiments;

/// <summary>
/// The YAML file an experiment reads (<see cref="ExperimentWorkflow.RunAsync"/>; <c>matryoshka experiment</c>) (see samples/configs/convergence/convergence.yaml): several
/// training configurations ("arms"), each trained under every seed, and evaluated at the same steps with the same
/// sampler. Paths are relative to the file; snake_case field names; unknown fields are refused.
/// </summary>
public sealed class ExperimentSpecFile
{
    /// <summary>The models compared.</summary>
    public List<ArmSection> Arms { get; set; } = new();

    /// <summary>Every arm is trained once per seed (the seed replaces the training configuration's own).</summary>
    public List<ulong> Seeds { get; set; } = new();

    /// <summary>When and how the arms are evaluated.</summary>
    public EvaluationSection Evaluation { get; set; } = new();

    /// <summary>One compared model.</summary>
    public sealed class ArmSection
    {
        /// <summary>Its name in the results (letters, digits, '-', '_' and '.').</summary>
        public string? Name { get; set; }
        /// <summary>Its training configuration (the <c>train</c> command's YAML).</summary>
        public string? Training { get; set; }
    }

    /// <summary>Evaluation section: the <c>eval</c> command's settings and the steps to evaluate at.</summary>
    public sealed class EvaluationSection
    {
        /// <summary>The captioned image folder (the training data).</summary>
        public string? Data { get; set; }
        /// <summary>Total training steps at which every arm is evaluated, ascending.</summary>
        public List<long> AtSteps { get; set; } = new();
        /// <summary>Retrieval queries.</summary>
        public int Queries { get; set; } = 200;
        /// <summary>Generated (and real) images in FD-ResNet18.</summary>
        public int FdImages { get; set; } = 200;
        /// <summary>ddim, ddpm or dpm++2m.</summary>
        public string Sampler { get; set; } = EvaluationSettings.DefaultSampler;
        /// <summary>Sampling steps.</summary>
        public int Steps { get; set; } = EvaluationSettings.DefaultSteps;
        /// <summary>Classifier-free guidance scale.</summary>
        public double Guidance { get; set; } = EvaluationSettings.DefaultGuidance;
        /// <summary>Seed of the chosen captions and of the noise.</summary>
        public ulong Seed { get; set; }
        /// <summary>Images per sampling call.</summary>
        public int Batch { get; set; } = 16;
        /// <summary>Steps of the final-level loss averaged for the loss column.</summary>
        public int LossWindow { get; set; } = 100;
    }

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="ExperimentSpecException">The file is missing, not YAML, has an unknown field, or a value of the wrong type.</exception>
    public static ExperimentSpecFile Load(string path) =>
        SnakeCaseYaml.Load<ExperimentSpecFile>(path, "an experiment spec", (problem, inner) => inner is null ? new ExperimentSpecException(path, problem) : new ExperimentSpecException(path, problem, inner));
}
