using Matryoshka.Diffusion;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Sampling;

/// <summary>Step semantics, per-generation state, the final step to the clean image, and determinism of DPM-Solver++.</summary>
public class DpmSolverPlusPlusSamplerTests
{
    private static readonly GaussianData Data = new(0.3, 0.5);
    private static readonly MultiResolutionSchedule TwoLevels = new(NoiseSchedules.CosineCapped(1000), new[] { 32, 16 }, shiftPower: 1);

    private static SamplingPlan Plan(int steps, Thresholding? thresholding = null) =>
        new(TwoLevels, SamplingTimesteps.Create(TwoLevels.TrainSteps, steps), PredictionType.VPrediction, thresholding ?? Thresholding.None);

    private static Tensor[] InitialNoise(ulong seed)
    {
        var source = new GeneratorNoiseSource(seed);
        return TwoLevels.Resolutions.Select((r, level) =>
        {
            using var like = empty(new long[] { 2, 3, r, r }, dtype: ScalarType.Float32);
            return source.Initial(level, like);
        }).ToArray();
    }

    // One step of a run by hand, as JointSampling does it; returns the next x of every level.
    private static Tensor[] Step(ISamplerRun run, SamplingPlan plan, int index, IReadOnlyList<Tensor> x)
    {
        using var scope = NewDisposeScope();
        var networkTimesteps = full(new long[] { x[0].shape[0] }, plan.Timesteps[index] - 1, dtype: ScalarType.Int64);
        var prediction = Data.VPredictionDenoiser(plan.Schedule)(x, networkTimesteps);
        var result = run.Step(index, x, prediction, new GeneratorNoiseSource(0));
        return result.Next.Select(n => n.MoveToOuterDisposeScope()).ToArray();
    }

    [Fact]
    public void Name_and_order_are_validated()
    {
        Assert.Equal("dpm++2m", new DpmSolverPlusPlusSampler().Name);
        Assert.Equal("dpm++1m", new DpmSolverPlusPlusSampler(1).Name);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DpmSolverPlusPlusSampler(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DpmSolverPlusPlusSampler(0));
    }

    [Fact]
    public void First_step_equals_ddim_with_eta_zero()
    {
        var plan = Plan(10, Thresholding.Clip);
        using var inference = inference_mode();
        var x = InitialNoise(7);
        var dpm = Step(new DpmSolverPlusPlusSampler().Start(plan), plan, 0, x);
        var ddim = Step(new DdimSampler(0).Start(plan), plan, 0, x);
        for (int level = 0; level < x.Length; level++)
            Support.TensorAssert.Close(ddim[level], dpm[level], 1e-6, $"level {level}");
    }

    [Fact]
    public void Second_step_differs_from_ddim()
    {
        // Guards against the multistep correction silently never being applied.
        var plan = Plan(10);
        using var inference = inference_mode();
        var x = InitialNoise(7);
        var dpmRun = new DpmSolverPlusPlusSampler().Start(plan);
        var ddimRun = new DdimSampler(0).Start(plan);
        var dpm = Step(dpmRun, plan, 1, Step(dpmRun, plan, 0, x));
        var ddim = Step(ddimRun, plan, 1, Step(ddimRun, plan, 0, x));
        for (int level = 0; level < x.Length; level++)
            Assert.True((dpm[level] - ddim[level]).abs().max().item<float>() > 1e-4f, $"level {level}: the second step is first order");
    }

    [Fact]
    public void Interleaved_runs_of_one_sampler_match_sequential_runs()
    {
        var sampler = new DpmSolverPlusPlusSampler();
        var plan = Plan(8);
        using var inference = inference_mode();
        Tensor[] RunAlone(Tensor[] x)
        {
            var run = sampler.Start(plan);
            for (int i = 0; i < plan.StepCount; i++) x = Step(run, plan, i, x);
            return x;
        }
        var a = InitialNoise(1);
        var b = InitialNoise(2);
        var sequentialA = RunAlone(a);
        var sequentialB = RunAlone(b);

        var runA = sampler.Start(plan);
        var runB = sampler.Start(plan);
        var (xa, xb) = (a, b);
        for (int i = 0; i < plan.StepCount; i++)
        {
            xa = Step(runA, plan, i, xa);
            xb = Step(runB, plan, i, xb);
        }
        for (int level = 0; level < a.Length; level++)
        {
            Assert.True(sequentialA[level].allclose(xa[level], rtol: 0, atol: 0), $"run A, level {level}");
            Assert.True(sequentialB[level].allclose(xb[level], rtol: 0, atol: 0), $"run B, level {level}");
        }
    }

    [Fact]
    public void Steps_out_of_order_are_refused()
    {
        var plan = Plan(4);
        using var inference = inference_mode();
        var run = new DpmSolverPlusPlusSampler().Start(plan);
        Assert.Throws<InvalidOperationException>(() => Step(run, plan, 1, InitialNoise(1)));
    }

    [Theory]
    [InlineData(1, PredictionType.VPrediction)]
    [InlineData(2, PredictionType.VPrediction)]
    [InlineData(5, PredictionType.VPrediction)]
    [InlineData(20, PredictionType.VPrediction)]
    [InlineData(20, PredictionType.Epsilon)]
    [InlineData(20, PredictionType.Sample)]
    public void Last_step_returns_the_finite_x0_estimate_of_every_level(int steps, PredictionType type)
    {
        var plan = new SamplingPlan(TwoLevels, SamplingTimesteps.Create(TwoLevels.TrainSteps, steps), type, Thresholding.Clip);
        Denoiser vDenoiser = Data.VPredictionDenoiser(TwoLevels);
        // The same ideal model, expressed in the plan's prediction type.
        Denoiser denoiser = (x, t) =>
        {
            int index = (int)t[0].item<long>() + 1;
            return vDenoiser(x, t).Select((v, level) =>
            {
                var g = tensor(TwoLevels.Level(level)[index], dtype: ScalarType.Float32);
                return Parameterization.Convert(PredictionType.VPrediction, type, x[level], v, g);
            }).ToArray();
        };
        var shapes = TwoLevels.Resolutions.Select(r => new long[] { 4, 3, r, r }).ToArray();
        int reported = 0;
        using var inference = inference_mode();
        var final = JointSampling.Run(denoiser, new DpmSolverPlusPlusSampler(), plan, shapes, ScalarType.Float32, CPU, new GeneratorNoiseSource(3), progress =>
        {
            reported++;
            if (progress.Index != progress.StepCount - 1) return;
            for (int level = 0; level < shapes.Length; level++)
            {
                Assert.True(progress.Noisy[level].isfinite().all().item<bool>(), $"level {level}: non-finite values at the last step");
                Assert.True(progress.Noisy[level].allclose(progress.Sample[level], rtol: 0, atol: 0), $"level {level}: the last step does not return the x₀ estimate");
            }
        });
        Assert.Equal(steps, reported);
        foreach (var level in final) Assert.True(level.isfinite().all().item<bool>());
    }

    [Fact]
    public void Same_seed_gives_identical_images_and_draws_no_step_noise()
    {
        var plan = Plan(12, Thresholding.Dynamic);
        var shapes = TwoLevels.Resolutions.Select(r => new long[] { 2, 3, r, r }).ToArray();
        using var inference = inference_mode();
        Tensor[] Sample() => JointSampling.Run(Data.VPredictionDenoiser(TwoLevels), new DpmSolverPlusPlusSampler(), plan, shapes,
            ScalarType.Float32, CPU, new InitialNoiseOnly(new GeneratorNoiseSource(99)));
        var first = Sample();
        var second = Sample();
        for (int level = 0; level < shapes.Length; level++) Assert.True(first[level].allclose(second[level], rtol: 0, atol: 0), $"level {level}");
    }

    private sealed class InitialNoiseOnly(INoiseSource inner) : INoiseSource
    {
        public Tensor Initial(int level, Tensor like) => inner.Initial(level, like);
        public Tensor Step(int step, int level, Tensor like) => throw new InvalidOperationException("DPM-Solver++ drew step noise.");
    }
}
