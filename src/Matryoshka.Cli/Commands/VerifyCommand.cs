using System.CommandLine;
using System.Globalization;
using Matryoshka.Interop.MlMdm.Parity;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka verify --config C --weights W --bundle B [--tolerance T]</c>: replays a recorded run and compares
/// every level with the recorded result (<see cref="ParityVerifier"/>): a forward bundle, a sampling bundle with the
/// sampler options, or with <c>--t5-config</c> instead of <c>--config</c> a T5 encoder bundle. Exit codes: 0 within
/// tolerance, 1 outside, 2 bad input.
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
        try
        {
            if (t5ConfigPath is not null)
            {
                var encoder = ParityVerifier.VerifyT5Encoder(t5ConfigPath, weightsPath, bundlePath, tolerance);
                ParityText.Write(encoder, stdout);
                return encoder.WithinTolerance ? 0 : Outside;
            }
            var options = new ParityOptions
            {
                Tolerance = tolerance, Sampler = sampling.Sampler, Eta = sampling.Eta, Steps = sampling.Steps, Guidance = sampling.Guidance,
                Thresholding = NamedOption.Threshold(sampling.Threshold),
                Device = sampling.Device is null ? null : Devices.Parse(sampling.Device),
            };
            var model = ParityVerifier.VerifyModel(configPath!, weightsPath, bundlePath, options);
            ParityText.Write(model, stdout);
            return model.WithinTolerance ? 0 : Outside;
        }
        catch (Exception e) when (e is MatryoshkaException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return InputRefused;
        }
    }
}
