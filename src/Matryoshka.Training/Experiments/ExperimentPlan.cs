using System.Text.RegularExpressions;
using Matryoshka.Evaluation;
using Matryoshka.Training.Configuration;
using Matryoshka.Sampling;

namespace Matryoshka.Training.Experiments;

/// <summary>A validated <see cref="ExperimentSpecFile"/>: absolute paths, arms checked against their training configurations.</summary>
internal sealed partial record ExperimentPlan(
    IReadOnlyList<ExperimentPlan.Arm> Arms, IReadOnlyList<ulong> Seeds, IReadOnlyList<long> AtSteps, string DataFolder,
    EvaluationSettings Evaluation, int LossWindow)
{
    /// <summary>One compared model: its name, training configuration and steps over all its stages.</summary>
    public sealed record Arm(string Name, string TrainingPath, long TotalSteps);

    /// <summary>Reads and checks the spec.</summary>
    /// <exception cref="ExperimentSpecException">A field is missing or invalid (the message names it).</exception>
    /// <exception cref="TrainingConfigException">An arm's training configuration cannot be read.</exception>
    public static ExperimentPlan Load(string specPath)
    {
        var spec = ExperimentSpecFile.Load(specPath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(specPath))!;
        ExperimentSpecException Invalid(string problem) => new(specPath, problem);

        if (spec.Arms.Count == 0) throw Invalid("arms: at least one arm is required.");
        var arms = new List<Arm>();
        foreach (var (section, i) in spec.Arms.Select((a, i) => (a, i)))
        {
            if (section.Name is not { } name || !ArmName().IsMatch(name))
                throw Invalid($"arms[{i}].name must be 1-64 letters, digits, '-', '_' or '.'; got '{section.Name}'.");
            if (arms.Any(a => a.Name == name)) throw Invalid($"arms[{i}].name '{name}' is used twice.");
            if (string.IsNullOrWhiteSpace(section.Training)) throw Invalid($"arms[{i}].training is required.");
            var trainingPath = Path.GetFullPath(Path.Combine(folder, section.Training));
            var training = TrainingConfigFile.Load(trainingPath);
            if (training.Conditioning.Kind != "minilm")
                throw Invalid($"arms[{i}] ({name}): the evaluation needs a text-conditioned model (conditioning.kind minilm); got '{training.Conditioning.Kind}'.");
            arms.Add(new Arm(name, trainingPath, training.Stages.Sum(s => s.Steps)));
        }

        if (spec.Seeds.Count == 0) throw Invalid("seeds: at least one seed is required.");
        if (spec.Seeds.Distinct().Count() != spec.Seeds.Count) throw Invalid("seeds: a seed is listed twice.");

        var evaluation = spec.Evaluation;
        var steps = evaluation.AtSteps;
        if (steps.Count == 0) throw Invalid("evaluation.at_steps: at least one step is required.");
        if (steps[0] < 1 || steps.Zip(steps.Skip(1)).Any(p => p.Second <= p.First))
            throw Invalid($"evaluation.at_steps must be positive and strictly ascending; got [{string.Join(", ", steps)}].");
        if (arms.FirstOrDefault(a => a.TotalSteps < steps[^1]) is { } short_)
            throw Invalid($"evaluation.at_steps goes to {steps[^1]}, but arm '{short_.Name}' trains only {short_.TotalSteps} steps.");
        if (string.IsNullOrWhiteSpace(evaluation.Data)) throw Invalid("evaluation.data is required (the captioned image folder).");
        var data = Path.GetFullPath(Path.Combine(folder, evaluation.Data));
        if (!Directory.Exists(data)) throw Invalid($"evaluation.data: the folder {data} does not exist (bash scripts/prepare-emoji.sh makes data/emoji).");
        if (evaluation.LossWindow < 1) throw Invalid($"evaluation.loss_window must be at least 1; got {evaluation.LossWindow}.");

        var settings = new EvaluationSettings(evaluation.Queries, evaluation.FdImages, evaluation.Steps, evaluation.Guidance, evaluation.Sampler,
            evaluation.Seed, evaluation.Batch);
        try { settings.Validate(int.MaxValue); }
        catch (EvaluationSettingsException e) { throw Invalid($"evaluation: {e.Message.Replace("--", "", StringComparison.Ordinal)}"); }
        if (!Samplers.Names.Contains(settings.Sampler.ToLowerInvariant()))
            throw Invalid($"evaluation.sampler must be one of {string.Join(", ", Samplers.Names)}; got '{settings.Sampler}'.");
        return new ExperimentPlan(arms, spec.Seeds, steps, data, settings, evaluation.LossWindow);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ArmName();
}
