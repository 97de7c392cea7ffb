using System.CommandLine;
using System.Globalization;
using Matryoshka.IO;
using Matryoshka.Models;
using static TorchSharp.torch;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka verify --config C --weights W --bundle B [--tolerance T]</c>: runs the model on a recorded
/// bundle's inputs and compares every level with the recorded outputs. This is how a converted model is checked.
/// Exit codes: 0 within tolerance, 1 outside, 2 bad input.
/// </summary>
internal static class VerifyCommand
{
    internal const int Outside = 1;
    internal const int InputRefused = 2;

    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Model config: ml-mdm config.json or YAML model config.", Required = true };
        var weights = new Option<string>("--weights") { Description = "Weights with ml-mdm key names: .safetensors or an ml-mdm checkpoint (.pth).", Required = true };
        var bundle = new Option<string>("--bundle") { Description = "Recorded forward pass: x_t.0…, t, lm_outputs, lm_mask, out.0….", Required = true };
        var tolerance = new Option<double>("--tolerance") { Description = "Largest allowed absolute difference per level.", DefaultValueFactory = _ => 1e-4 };
        var command = new Command("verify", "Run a model on a recorded bundle and compare every level with the recorded outputs.");
        command.Options.Add(config);
        command.Options.Add(weights);
        command.Options.Add(bundle);
        command.Options.Add(tolerance);
        command.SetAction(parse => Run(parse.GetValue(config)!, parse.GetValue(weights)!, parse.GetValue(bundle)!, parse.GetValue(tolerance),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string configPath, string weightsPath, string bundlePath, double tolerance, TextWriter stdout, TextWriter stderr)
    {
        if (!(tolerance >= 0) || double.IsInfinity(tolerance))
        {
            stderr.WriteLine($"--tolerance must be a finite number ≥ 0; got {tolerance.ToString(CultureInfo.InvariantCulture)}");
            return InputRefused;
        }
        using var scope = NewDisposeScope();
        ForwardBundle bundle;
        NestedUNet model;
        try
        {
            bundle = ForwardBundle.Load(bundlePath);
            var config = ModelConfigFiles.Load(configPath);
            long? textWidth = bundle.Text?.shape[2];
            if (config.TextEmbeddingDim <= 0 && textWidth is long width) config = ModelConfigFiles.Load(configPath, (int)width);
            if (textWidth is long w && w != config.TextEmbeddingDim)
                throw new ParityBundleException(bundlePath, $"lm_outputs has width {w} but the model expects {config.TextEmbeddingDim}");
            config = config with { Resolution = (int)bundle.Inputs[0].shape[2] };
            model = new NestedUNet(config);
            var report = ModelWeights.Load(model, weightsPath);
            stdout.WriteLine($"model    {string.Join(" → ", model.Plan.Resolutions)} ({report.Loaded} tensors loaded from {Path.GetFileName(weightsPath)})");
        }
        catch (Exception e) when (e is MatryoshkaException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"refused: {e.Message}");
            return InputRefused;
        }

        using (model)
        {
            Tensor[] outputs;
            try
            {
                using var inference = inference_mode();
                model.eval();
                outputs = model.Forward(bundle.Inputs, bundle.Timesteps, bundle.Text, bundle.TextMask);
            }
            catch (Exception e) when (e is ArgumentException or MatryoshkaException)
            {
                stderr.WriteLine($"refused: the bundle does not fit the model: {e.Message}");
                return InputRefused;
            }

            bool within = true;
            stdout.WriteLine("level  resolution  max abs error  relative error");
            for (int l = 0; l < outputs.Length; l++)
            {
                var expected = bundle.ExpectedOutputs[l].to(ScalarType.Float64);
                double maxAbs = (outputs[l].to(ScalarType.Float64) - expected).abs().max().item<double>();
                double scale = expected.abs().max().item<double>();
                double relative = scale > 0 ? maxAbs / scale : maxAbs;
                bool ok = maxAbs <= tolerance;
                within &= ok;
                stdout.WriteLine(FormattableString.Invariant($"{l,5}  {outputs[l].shape[2],10}  {maxAbs,13:E3}  {relative,14:E3}  {(ok ? "ok" : "OUTSIDE")}"));
            }
            stdout.WriteLine(within
                ? FormattableString.Invariant($"within tolerance {tolerance:G3}")
                : FormattableString.Invariant($"outside tolerance {tolerance:G3}"));
            return within ? 0 : Outside;
        }
    }
}
