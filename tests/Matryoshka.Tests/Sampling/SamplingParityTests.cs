using Matryoshka.Conditioning;
using Matryoshka.Diffusion;
using Matryoshka.Guidance;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using Matryoshka.Tests.Models;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Sampling;

/// <summary>
/// Guided joint sampling replayed with ml-mdm's recorded noise (sample_ddim, sample_ddim_eta1, sample_ddpm): every
/// recorded intermediate and the final images of every level must match ml-mdm within 1e-5.
/// </summary>
public class SamplingParityTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "two_level", "sample_ddim" }, { "two_level", "sample_ddim_eta1" }, { "two_level", "sample_ddpm" },
        { "three_level", "sample_ddim" }, { "three_level", "sample_ddim_eta1" }, { "three_level", "sample_ddpm" },
        { "temporal_two_level", "sample_ddim" }, { "temporal_two_level", "sample_ddpm" },
    };

    private static ISampler SamplerFor(string file) => file switch
    {
        "sample_ddim" => new DdimSampler(0),
        "sample_ddim_eta1" => new DdimSampler(1),
        _ => new DdpmSampler(),
    };

    private static Thresholding ThresholdingOf(MlMdmFixture fixture) =>
        fixture.SamplerConfig.GetProperty("threshold_function").GetString() switch
        {
            "CLIP" => Thresholding.Clip,
            "DYNAMIC_IF" => Thresholding.DeepFloyd,
            "DYNAMIC" => Thresholding.Dynamic,
            _ => Thresholding.None,
        };

    [Theory, MemberData(nameof(Cases))]
    public void Joint_guided_sampling_matches_ml_mdm(string name, string file)
    {
        var fixture = MlMdmFixture.Open(name);
        using var model = ForwardParityTests.BuildWithWeights(fixture);
        using var scope = NewDisposeScope();
        var tensors = fixture.Load(file + ".safetensors");
        int levels = fixture.LevelResolutions.Length;
        var sampling = fixture.Config.GetProperty("sampling");
        int steps = sampling.GetProperty("steps").GetInt32();
        double scale = sampling.GetProperty("guidance_scale").GetDouble();

        var timesteps = SamplingTimesteps.Create(fixture.TrainSteps, steps);
        TensorAssert.Equal(tensors["timesteps"].data<long>().ToArray(), tensor(timesteps), "timesteps");
        var plan = new SamplingPlan(new MultiResolutionSchedule(NoiseSchedules.CosineCapped(fixture.TrainSteps), fixture.LevelResolutions, fixture.ShiftPower),
            timesteps, PredictionType.VPrediction, ThresholdingOf(fixture));
        var noise = new RecordedNoiseSource(
            Enumerable.Range(0, levels).Select(l => tensors[$"noise_init.{l}"]).ToArray(),
            (step, level) => tensors.GetValueOrDefault($"noise_step.{step}.{level}"));

        var guided = ClassifierFreeGuidance.Wrap(model,
            new TextConditioning(tensors["lm_outputs_cond"], tensors["lm_mask_cond"]),
            new TextConditioning(tensors["lm_outputs_uncond"], tensors["lm_mask_uncond"]), scale);
        int calls = 0;
        Denoiser recording = (x, t) =>
        {
            var prediction = guided(x, t);
            if (calls++ == 0)
                for (int l = 0; l < levels; l++) TensorAssert.Close(tensors[$"pred_guided.step0.{l}"], prediction[l], 1e-5, $"pred_guided.step0.{l}");
            return prediction;
        };

        var shapes = Enumerable.Range(0, levels).Select(l => tensors[$"final.{l}"].shape).ToArray();
        int checkedSteps = 0;
        using var inference = inference_mode();
        var final = JointSampling.Run(recording, SamplerFor(file), plan, shapes, ScalarType.Float32, CPU, noise, progress =>
        {
            for (int l = 0; l < levels; l++)
            {
                if (tensors.TryGetValue($"x_t.step{progress.Index}.{l}", out var expected))
                    TensorAssert.Close(expected, progress.Noisy[l], 1e-5, $"x_t.step{progress.Index}.{l}");
                if (tensors.TryGetValue($"x0.step{progress.Index}.{l}", out var x0))
                    TensorAssert.Close(x0, progress.Sample[l], 1e-5, $"x0.step{progress.Index}.{l}");
            }
            checkedSteps++;
        });

        Assert.Equal(steps, calls);
        Assert.Equal(steps, checkedSteps);
        for (int l = 0; l < levels; l++) TensorAssert.Close(tensors[$"final.{l}"], final[l], 1e-5, $"final.{l}");
    }
}
