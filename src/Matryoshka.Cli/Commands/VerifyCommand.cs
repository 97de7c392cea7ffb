using System.CommandLine;
using System.Globalization;
using Matryoshka.Guidance;
using Matryoshka.IO;
using Matryoshka.Models;
using Matryoshka.Models.MlMdm;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka verify --config C --weights W --bundle B [--tolerance T]</c>: replays a recorded run and compares
/// every level with the recorded result. A forward bundle (<c>x_t.*</c>, <c>t</c>, <c>out.*</c>) checks one model
/// call; a sampling bundle (<c>noise_init.*</c>, <c>final.*</c>, …) checks a whole guided sampling run with the
/// sampler options. With <c>--t5-config</c> instead of <c>--config</c>, a T5 encoder bundle (<c>input_ids</c>,
/// <c>attention_mask</c>, <c>last_hidden_state</c>). Exit codes: 0 within tolerance, 1 outside, 2 bad input.
/// </summary>
internal static class VerifyCommand
{
    internal const int Outside = 1;
    internal const int InputRefused = 2;

    /// <summary>Sampling options (ignored for forward bundles, except <paramref name="Device"/>, where the model runs for both).</summary>
    internal sealed record SamplingOptions(string Sampler = "ddim", double Eta = 0, int Steps = 50, double Guidance = 1, string? Threshold = null, string? Device = null);

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Model config: ml-mdm config.json or YAML model config (or give --t5-config)." };
        var t5Config = new Option<string?>("--t5-config") { Description = "T5 encoder config: a Hugging Face config.json; the bundle holds input_ids, attention_mask, last_hidden_state (instead of --config)." };
        var weights = new Option<string>("--weights") { Description = "Weights: ml-mdm key names (.safetensors or an ml-mdm .pth), or for --t5-config Hugging Face T5 weights (.safetensors, a shard index or a model folder).", Required = true };
        var bundle = new Option<string>("--bundle") { Description = "Recorded run: a forward bundle (x_t.*, t, out.*), a sampling bundle (noise_init.*, final.*) or a T5 encoder bundle.", Required = true };
        var tolerance = new Option<double>("--tolerance") { Description = "Largest allowed absolute difference per level.", DefaultValueFactory = _ => 1e-4 };
        var sampler = new Option<string>("--sampler") { Description = "Sampling bundles: ddpm, ddim or dpm++2m.", DefaultValueFactory = _ => "ddim" };
        var eta = new Option<double>("--eta") { Description = "Sampling bundles: DDIM η.", DefaultValueFactory = _ => 0 };
        var steps = new Option<int>("--steps") { Description = "Sampling bundles: number of steps.", DefaultValueFactory = _ => 50 };
        var guidance = new Option<double>("--guidance") { Description = "Sampling bundles: classifier-free guidance scale.", DefaultValueFactory = _ => 1 };
        var threshold = new Option<string?>("--threshold") { Description = "Sampling bundles: none, clip, dynamic or dynamic_if (default: the config's)." };
        var device = DeviceOption.Create();
        var command = new Command("verify", "Replay a recorded forward pass or sampling run and compare every level with the recorded result.");
        foreach (var option in new Option[] { config, t5Config, weights, bundle, tolerance, sampler, eta, steps, guidance, threshold, device }) command.Options.Add(option);
        command.SetAction(parse => Run(parse.GetValue(config), parse.GetValue(t5Config), parse.GetValue(weights)!, parse.GetValue(bundle)!, parse.GetValue(tolerance),
            new SamplingOptions(parse.GetValue(sampler)!, parse.GetValue(eta), parse.GetValue(steps), parse.GetValue(guidance), parse.GetValue(threshold), parse.GetValue(device)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string configPath, string weightsPath, string bundlePath, double tolerance, TextWriter stdout, TextWriter stderr) =>
        Run(configPath, weightsPath, bundlePath, tolerance, new SamplingOptions(), stdout, stderr);

    internal static int Run(string configPath, string weightsPath, string bundlePath, double tolerance, SamplingOptions sampling, TextWriter stdout, TextWriter stderr) =>
        Run(configPath, null, weightsPath, bundlePath, tolerance, sampling, stdout, stderr);

    /// <summary>Verifies a diffusion model (<paramref name="configPath"/>) or a T5 encoder (<paramref name="t5ConfigPath"/>): exactly one must be given.</summary>
    internal static int Run(string? configPath, string? t5ConfigPath, string weightsPath, string bundlePath, double tolerance, SamplingOptions sampling, TextWriter stdout, TextWriter stderr)
    {
        if ((configPath is null) == (t5ConfigPath is null))
        {
            stderr.WriteLine(configPath is null
                ? "give --config (a diffusion model's config) or --t5-config (a T5 encoder's config.json)"
                : "--config and --t5-config exclude each other: give one (a diffusion model or a T5 encoder)");
            return InputRefused;
        }
        if (!(tolerance >= 0) || double.IsInfinity(tolerance))
        {
            stderr.WriteLine($"--tolerance must be a finite number ≥ 0; got {tolerance.ToString(CultureInfo.InvariantCulture)}");
            return InputRefused;
        }
        using var scope = NewDisposeScope();
        try
        {
            if (!File.Exists(bundlePath)) throw new ParityBundleException(bundlePath, "file not found");
            if (t5ConfigPath is not null) return T5BundleVerification.Run(t5ConfigPath, weightsPath, bundlePath, tolerance, stdout);
            return SamplingBundle.IsSamplingBundle(bundlePath)
                ? VerifySampling(configPath!, weightsPath, SamplingBundle.Load(bundlePath), tolerance, sampling, stdout)
                : VerifyForward(configPath!, weightsPath, ForwardBundle.Load(bundlePath), bundlePath, tolerance, DeviceOf(sampling), stdout);
        }
        catch (Exception e) when (e is MatryoshkaException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return InputRefused;
        }
    }

    private static Device DeviceOf(SamplingOptions options) => options.Device is null ? CPU : Devices.Parse(options.Device);

    private static int VerifyForward(string configPath, string weightsPath, ForwardBundle bundle, string bundlePath, double tolerance, Device device, TextWriter stdout)
    {
        using var model = LoadModel(configPath, weightsPath, bundle.Text?.shape[2], (int)bundle.Inputs[0].shape[2], bundlePath, device, stdout);
        using var inference = inference_mode();
        var outputs = model.Forward(bundle.Inputs.Select(x => x.to(device)).ToArray(), bundle.Timesteps.to(device), bundle.Text?.to(device), bundle.TextMask?.to(device));
        var report = new ComparisonReport(tolerance, stdout, "max abs error  relative error");
        for (int l = 0; l < outputs.Length; l++) report.Level(l, outputs[l].shape[2], bundle.ExpectedOutputs[l], outputs[l]);
        return report.Finish();
    }

    private static int VerifySampling(string configPath, string weightsPath, SamplingBundle bundle, double tolerance, SamplingOptions options, TextWriter stdout)
    {
        var device = DeviceOf(options);
        using var model = LoadModel(configPath, weightsPath, bundle.ConditionalText.shape[2], (int)bundle.ExpectedFinal[0].shape[2], configPath, device, stdout);
        var diffusion = MlMdmDiffusionConfig.FromFile(configPath);
        var timesteps = SamplingTimesteps.Create(diffusion.TrainSteps, options.Steps);
        if (bundle.Timesteps is { } recorded && !recorded.SequenceEqual(timesteps))
            throw new ParityBundleException("bundle", $"records timesteps [{string.Join(", ", recorded)}] but --steps {options.Steps} gives [{string.Join(", ", timesteps)}]");
        var plan = new SamplingPlan(diffusion.CreateSchedule(model.Plan.Resolutions), timesteps, diffusion.Prediction, Thresholds.Parse(options.Threshold) ?? diffusion.Thresholding);
        var sampler = Samplers.FromName(options.Sampler, options.Eta);
        var conditional = new TextConditioning(bundle.ConditionalText.to(device), bundle.ConditionalMask.to(device));
        var unconditional = bundle.UnconditionalText is null ? null : new TextConditioning(bundle.UnconditionalText.to(device), bundle.UnconditionalMask!.to(device));
        var denoiser = ClassifierFreeGuidance.Wrap(model, conditional, unconditional, options.Guidance);
        var noise = new RecordedNoiseSource(bundle.InitialNoise, bundle.StepNoise);
        stdout.WriteLine(FormattableString.Invariant($"sampling {sampler.Name}, {options.Steps} steps, guidance {options.Guidance}, thresholding {plan.Thresholding.Kind}"));

        var stepErrors = new double[bundle.ExpectedFinal.Count];
        using var inference = inference_mode();
        var final = JointSampling.Run(denoiser, sampler, plan, bundle.ExpectedFinal.Select(f => f.shape).ToArray(), ScalarType.Float32, device, noise, progress =>
        {
            for (int l = 0; l < progress.Noisy.Count; l++)
                if (bundle.NoisyAfterStep(progress.Index, l) is { } expected)
                    stepErrors[l] = Math.Max(stepErrors[l], MaxAbs(expected, progress.Noisy[l]));
        });
        var report = new ComparisonReport(tolerance, stdout, "final max abs  relative error  steps max abs");
        for (int l = 0; l < final.Length; l++)
            report.Level(l, final[l].shape[2], bundle.ExpectedFinal[l], final[l], stepErrors[l]);
        return report.Finish();
    }

    private static NestedUNet LoadModel(string configPath, string weightsPath, long? textWidth, int resolution, string source, Device device, TextWriter stdout)
    {
        var config = ModelConfigFiles.Load(configPath);
        if (config.TextEmbeddingDim <= 0 && textWidth is long width) config = ModelConfigFiles.Load(configPath, (int)width);
        if (textWidth is long w && w != config.TextEmbeddingDim)
            throw new ParityBundleException(source, $"text embeddings have width {w} but the model expects {config.TextEmbeddingDim}");
        var model = new NestedUNet(config with { Resolution = resolution });
        try
        {
            var loaded = ModelWeights.Load(model, weightsPath);
            model.to(device);
            model.eval();
            stdout.WriteLine($"model    {string.Join(" → ", model.Plan.Resolutions)} ({loaded.Loaded} tensors loaded from {Path.GetFileName(weightsPath)})");
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static double MaxAbs(Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        return (actual.to(ScalarType.Float64, CPU) - expected.to(ScalarType.Float64, CPU)).abs().max().item<double>();
    }

    /// <summary>Prints one line per level and the verdict.</summary>
    private sealed class ComparisonReport
    {
        private readonly double _tolerance;
        private readonly TextWriter _out;
        private bool _within = true;

        public ComparisonReport(double tolerance, TextWriter stdout, string columns)
        {
            _tolerance = tolerance;
            _out = stdout;
            _out.WriteLine($"level  resolution  {columns}");
        }

        public void Level(int level, long resolution, Tensor expected, Tensor actual, double? stepError = null)
        {
            double maxAbs = MaxAbs(expected, actual);
            double scale;
            using (var scope = NewDisposeScope()) scale = expected.to(ScalarType.Float64).abs().max().item<double>();
            double relative = scale > 0 ? maxAbs / scale : maxAbs;
            bool ok = maxAbs <= _tolerance && (stepError ?? 0) <= _tolerance;
            _within &= ok;
            string steps = stepError is double s ? FormattableString.Invariant($"  {s,13:E3}") : "";
            _out.WriteLine(FormattableString.Invariant($"{level,5}  {resolution,10}  {maxAbs,13:E3}  {relative,14:E3}{steps}  {(ok ? "ok" : "OUTSIDE")}"));
        }

        public int Finish()
        {
            _out.WriteLine(_within
                ? FormattableString.Invariant($"within tolerance {_tolerance:G3}")
                : FormattableString.Invariant($"outside tolerance {_tolerance:G3}"));
            return _within ? 0 : Outside;
        }
    }
}
