using Matryoshka.Models;
using Matryoshka.Training.Runs;

namespace Matryoshka.Training.Experiments;

/// <summary>
/// What a progressive run has spent by a given total step: images seen and estimated training FLOPs, summed stage
/// by stage (a progressive run's low-resolution steps cost a fraction of its nested ones). FLOPs are
/// <see cref="ModelFlops.TrainingStep"/> of each stage's model (3 × forward, <see cref="ModelFlops.DefaultTextLength"/>
/// text tokens) × images per step; the optimizer and EMA are not counted.
/// </summary>
internal sealed class TrainingBudget
{
    private readonly (long Steps, double FlopsPerStep)[] _stages;

    public TrainingBudget(TrainingRunOptions options)
    {
        ImagesPerStep = (long)options.Batches.BatchSize * options.Trainer.GradientAccumulationSteps;
        _stages = options.Stages
            .Select(s => (s.Steps, (double)ModelFlops.Of(s.Model.Plan(), ModelFlops.DefaultTextLength).TrainingStep * ImagesPerStep))
            .ToArray();
    }

    /// <summary>Images per optimizer step (batch × gradient accumulation).</summary>
    public long ImagesPerStep { get; }

    /// <summary>Steps of every stage together.</summary>
    public long TotalSteps => _stages.Sum(s => s.Steps);

    /// <summary>Images seen after <paramref name="step"/> total steps.</summary>
    public long ImagesSeen(long step) => step * ImagesPerStep;

    /// <summary>
    /// The stage whose model the weights after <paramref name="step"/> total steps belong to: at a boundary, the stage
    /// just finished (a run stopped there has already grown into the next stage, but the next stage has not trained).
    /// </summary>
    public int StageAt(long step)
    {
        for (int stage = 0; stage < _stages.Length - 1; stage++)
        {
            if (step <= _stages[stage].Steps) return stage;
            step -= _stages[stage].Steps;
        }
        return _stages.Length - 1;
    }

    /// <summary>Estimated training FLOPs after <paramref name="step"/> total steps.</summary>
    public double Flops(long step)
    {
        double flops = 0;
        foreach (var (steps, perStep) in _stages)
        {
            long here = Math.Clamp(step, 0, steps);
            flops += here * perStep;
            step -= here;
        }
        return flops;
    }
}
