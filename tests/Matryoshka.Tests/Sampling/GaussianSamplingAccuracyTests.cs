using Matryoshka.Diffusion;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Sampling;

/// <summary>
/// Samplers driven by the exact denoiser of Gaussian data N(μ = 0.3, s = 0.5) (<see cref="GaussianData"/>) on a
/// one-level and a two-level (shifted) cosine schedule. Statistics are over all pixels of every level's output of
/// the last step, before <see cref="JointSampling"/> clamps it. Two claims are checked:
/// <list type="bullet">
/// <item>Every sampler produces the exact statistics of its own discretised chain
/// (<see cref="GaussianChainStatistics"/>) within four standard errors of the pixel count n:
/// |mean − m|/s &lt; 4·√(v/n)/s and |var − v|/v &lt; 4·√(2/n).</item>
/// <item>DPM-Solver++(2M) reaches the data distribution itself: |mean − μ| &lt; 0.02·s and |var − s²| &lt; 0.02·s².
/// First-order DDIM with 50 evenly spaced steps does not (its exact variance error here is 6–8 %), nor does
/// ml-mdm's DDPM with 50 steps (12–16 %), so they are held to the first claim only.</item>
/// </list>
/// </summary>
public class GaussianSamplingAccuracyTests(ITestOutputHelper output)
{
    private static readonly GaussianData Data = new(0.3, 0.5);
    private const int Batch = 128;

    public static TheoryData<string, string, int> ChainCases => new()
    {
        { "one_level", "ddim", 50 }, { "one_level", "ddpm", 50 }, { "one_level", "dpm++2m", 50 }, { "one_level", "dpm++2m", 20 },
        { "two_level", "ddim", 50 }, { "two_level", "ddpm", 50 }, { "two_level", "dpm++2m", 50 }, { "two_level", "dpm++2m", 20 },
    };

    // With ml-mdm's spacing and fewer steps the first index moves down from N (954 for 20 steps) and starting from
    // N(0, 1) there biases the mean by 1.5–2.2 % of s whatever the solver; trailing spacing starts at N. At 20 steps
    // the shifted level's exact variance error is 2.6–3.2 %, so 25 is the fewest steps held to 2 %.
    public static TheoryData<string, int, TimestepSpacing> DataCases => new()
    {
        { "one_level", 50, TimestepSpacing.MatryoshkaStyle }, { "two_level", 50, TimestepSpacing.MatryoshkaStyle },
        { "one_level", 25, TimestepSpacing.Trailing }, { "two_level", 25, TimestepSpacing.Trailing },
    };

    [Theory, MemberData(nameof(ChainCases))]
    public void Sampler_produces_the_exact_statistics_of_its_discretised_chain(string scheduleName, string samplerName, int steps)
    {
        var schedule = ScheduleNamed(scheduleName);
        var timesteps = SamplingTimesteps.Create(schedule.TrainSteps, steps);
        var final = SampleBeforeClamp(schedule, SamplerNamed(samplerName), timesteps);
        for (int level = 0; level < final.Length; level++)
        {
            var (expectedMean, expectedVariance) = GaussianChainStatistics.Of(samplerName, Data, schedule.Level(level), timesteps);
            var (mean, variance, n) = Statistics(final[level]);
            double meanError = Math.Abs(mean - expectedMean) / Data.Std, meanTolerance = 4 * Math.Sqrt(expectedVariance / n) / Data.Std;
            double varError = Math.Abs(variance - expectedVariance) / expectedVariance, varTolerance = 4 * Math.Sqrt(2.0 / n);
            output.WriteLine($"{samplerName} {steps} steps, {scheduleName} level {level}: chain |mean − m|/s = {meanError:E2} (tol {meanTolerance:E2}), " +
                $"|var − v|/v = {varError:E2} (tol {varTolerance:E2}); vs data: (m − μ)/s = {(expectedMean - Data.Mean) / Data.Std:+0.0000;-0.0000}, " +
                $"(v − s²)/s² = {(expectedVariance / (Data.Std * Data.Std)) - 1:+0.0000;-0.0000}; measured (mean − μ)/s = {(mean - Data.Mean) / Data.Std:+0.0000;-0.0000}, " +
                $"(var − s²)/s² = {(variance / (Data.Std * Data.Std)) - 1:+0.0000;-0.0000}");
            Assert.True(meanError < meanTolerance, $"level {level}: |mean − m|/s = {meanError:E3} ≥ {meanTolerance:E3}");
            Assert.True(varError < varTolerance, $"level {level}: |var − v|/v = {varError:E3} ≥ {varTolerance:E3}");
        }
    }

    [Theory, MemberData(nameof(DataCases))]
    public void Dpm_solver_plus_plus_reaches_the_data_mean_and_variance(string scheduleName, int steps, TimestepSpacing spacing)
    {
        var schedule = ScheduleNamed(scheduleName);
        var final = SampleBeforeClamp(schedule, new DpmSolverPlusPlusSampler(), SamplingTimesteps.Create(schedule.TrainSteps, steps, spacing));
        double dataVariance = Data.Std * Data.Std;
        for (int level = 0; level < final.Length; level++)
        {
            var (mean, variance, _) = Statistics(final[level]);
            double meanError = Math.Abs(mean - Data.Mean) / Data.Std, varError = Math.Abs(variance - dataVariance) / dataVariance;
            output.WriteLine($"dpm++2m {steps} steps ({spacing}), {scheduleName} level {level}: |mean − μ|/s = {meanError:E2}, |var − s²|/s² = {varError:E2}");
            Assert.True(meanError < 0.02, $"level {level}: |mean − μ|/s = {meanError:E3} ≥ 0.02");
            Assert.True(varError < 0.02, $"level {level}: |var − s²|/s² = {varError:E3} ≥ 0.02");
        }
    }

    private static MultiResolutionSchedule ScheduleNamed(string name) =>
        new(NoiseSchedules.CosineCapped(1000), name == "one_level" ? new[] { 16 } : new[] { 32, 16 }, shiftPower: 1);

    private static ISampler SamplerNamed(string name) => name switch
    {
        "ddim" => new DdimSampler(0),
        "ddpm" => new DdpmSampler(),
        "dpm++2m" => new DpmSolverPlusPlusSampler(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown sampler."),
    };

    private static (double Mean, double Variance, long Count) Statistics(Tensor level)
    {
        using var values = level.to(ScalarType.Float64);
        var result = (values.mean().item<double>(), values.var(unbiased: true).item<double>(), values.numel());
        level.Dispose();
        return result;
    }

    private static Tensor[] SampleBeforeClamp(MultiResolutionSchedule schedule, ISampler sampler, long[] timesteps)
    {
        var plan = new SamplingPlan(schedule, timesteps, PredictionType.VPrediction, Thresholding.None);
        var shapes = schedule.Resolutions.Select(r => new long[] { Batch, 3, r, r }).ToArray();
        Tensor[]? last = null;
        using var inference = inference_mode();
        var clamped = JointSampling.Run(Data.VPredictionDenoiser(schedule), sampler, plan, shapes, ScalarType.Float32, CPU,
            new GeneratorNoiseSource(1234), progress =>
            {
                if (progress.Index == progress.StepCount - 1)
                    last = progress.Noisy.Select(x => x.clone().DetachFromDisposeScope()).ToArray();
            });
        foreach (var image in clamped) image.Dispose();
        return last ?? throw new InvalidOperationException("The last step was not reported.");
    }
}
