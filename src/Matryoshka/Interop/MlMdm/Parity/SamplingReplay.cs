using Matryoshka.Conditioning;
using Matryoshka.Guidance;
using Matryoshka.IO;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using static TorchSharp.torch;

namespace Matryoshka.Interop.MlMdm.Parity;

/// <summary>A recorded guided sampling run replayed with the recorded noise: the final sample and every recorded step against the recording.</summary>
internal static class SamplingReplay
{
    public static ParityReport Run(string configPath, string weightsPath, SamplingBundle bundle, ParityOptions options)
    {
        var device = options.Device ?? CPU;
        var (model, loaded) = ParityModel.Load(configPath, weightsPath, bundle.ConditionalText.shape[2], (int)bundle.ExpectedFinal[0].shape[2], configPath, device);
        using (model)
        {
            var diffusion = MlMdmDiffusionConfig.FromFile(configPath);
            var timesteps = SamplingTimesteps.Create(diffusion.TrainSteps, options.Steps);
            if (bundle.Timesteps is { } recorded && !recorded.SequenceEqual(timesteps))
                throw new ParityBundleException("bundle", $"records timesteps [{string.Join(", ", recorded)}] but {options.Steps} steps give [{string.Join(", ", timesteps)}]");
            var plan = new SamplingPlan(diffusion.CreateSchedule(model.Plan.Resolutions), timesteps, diffusion.Prediction, options.Thresholding ?? diffusion.Thresholding);
            var sampler = Samplers.FromName(options.Sampler, options.Eta);
            var conditional = new TextConditioning(bundle.ConditionalText.to(device), bundle.ConditionalMask.to(device));
            var unconditional = bundle.UnconditionalText is null ? null : new TextConditioning(bundle.UnconditionalText.to(device), bundle.UnconditionalMask!.to(device));
            var denoiser = ClassifierFreeGuidance.Wrap(model, conditional, unconditional, options.Guidance);
            var noise = new RecordedNoiseSource(bundle.InitialNoise, bundle.StepNoise);

            var stepErrors = new double[bundle.ExpectedFinal.Count];
            using var inference = inference_mode();
            var final = JointSampling.Run(denoiser, sampler, plan, bundle.ExpectedFinal.Select(f => f.shape).ToArray(), ScalarType.Float32, device, noise, progress =>
            {
                for (int l = 0; l < progress.Noisy.Count; l++)
                    if (bundle.NoisyAfterStep(progress.Index, l) is { } expected)
                        stepErrors[l] = Math.Max(stepErrors[l], TensorDifference.MaxAbs(expected, progress.Noisy[l]));
            });
            var levels = final.Select((sample, l) =>
            {
                var (maxAbs, relative) = TensorDifference.Of(bundle.ExpectedFinal[l], sample);
                return new LevelParity(l, sample.shape[2], maxAbs, relative, stepErrors[l], maxAbs <= options.Tolerance && stepErrors[l] <= options.Tolerance);
            }).ToArray();
            var settings = new SamplingParity(sampler.Name, options.Steps, options.Guidance, plan.Thresholding.Kind);
            return new ParityReport(model.Plan.Resolutions, loaded, Path.GetFileName(weightsPath), settings, levels, options.Tolerance);
        }
    }
}
