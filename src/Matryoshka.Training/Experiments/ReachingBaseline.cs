namespace Matryoshka.Training.Experiments;

/// <summary>
/// When an arm, under one seed, first reaches the baseline arm's final FD-ResNet18 under the same seed: the step (and
/// training FLOPs and seconds) interpolated linearly between the two evaluations around the crossing, and that step as a
/// share of the baseline's steps. <see cref="AtFirstEvaluation"/> marks a value already reached at the first evaluation
/// (an upper bound); null <see cref="Step"/> means never reached within the run.
/// </summary>
internal sealed record ReachingBaseline(string Arm, ulong Seed, double Target, long BaselineSteps, double? Step, double? Flops, double? Seconds,
    bool AtFirstEvaluation)
{
    /// <summary>Steps to reach the target over the baseline's steps.</summary>
    public double? StepRatio => Step / BaselineSteps;

    /// <summary>For every arm other than <paramref name="baseline"/> and every seed both have: when it reaches the baseline's final FD.</summary>
    public static IReadOnlyList<ReachingBaseline> Find(IReadOnlyList<ExperimentResult> rows, string baseline)
    {
        var evaluated = rows.Where(r => r.FdResNet18 is not null).ToArray();
        var result = new List<ReachingBaseline>();
        foreach (var seedGroup in evaluated.Where(r => r.Arm == baseline).GroupBy(r => r.Seed))
        {
            var final = seedGroup.MaxBy(r => r.Step)!;
            double target = final.FdResNet18!.Value;
            foreach (var arm in evaluated.Where(r => r.Arm != baseline && r.Seed == seedGroup.Key).GroupBy(r => r.Arm))
            {
                var curve = arm.OrderBy(r => r.Step).ToArray();
                int at = Array.FindIndex(curve, r => r.FdResNet18 <= target);
                if (at < 0) { result.Add(new(arm.Key, seedGroup.Key, target, final.Step, null, null, null, false)); continue; }
                if (at == 0) { result.Add(new(arm.Key, seedGroup.Key, target, final.Step, curve[0].Step, curve[0].TrainFlops, curve[0].TrainSeconds, true)); continue; }
                var (before, after) = (curve[at - 1], curve[at]);
                double share = (before.FdResNet18!.Value - target) / (before.FdResNet18.Value - after.FdResNet18!.Value);
                double Between(double a, double b) => a + share * (b - a);
                result.Add(new(arm.Key, seedGroup.Key, target, final.Step, Between(before.Step, after.Step), Between(before.TrainFlops, after.TrainFlops),
                    Between(before.TrainSeconds, after.TrainSeconds), false));
            }
        }
        return result;
    }
}
