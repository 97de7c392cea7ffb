using Matryoshka.Conditioning.T5;
using Matryoshka.IO;
using static TorchSharp.torch;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>verify --t5-config C --weights W --bundle B</c>: runs a T5 encoder built from a Hugging Face config.json with
/// Hugging Face weights on a recorded call (<c>input_ids</c>, <c>attention_mask</c>) and compares
/// <c>last_hidden_state</c>.
/// </summary>
internal static class T5BundleVerification
{
    public static int Run(string configPath, string weightsPath, string bundlePath, double tolerance, TextWriter stdout)
    {
        var bundle = T5EncoderBundle.Load(bundlePath);
        var config = T5EncoderConfig.FromFile(configPath);
        if (bundle.LastHiddenState.shape[2] != config.ModelDim)
            throw new ParityBundleException(bundlePath, $"last_hidden_state has width {bundle.LastHiddenState.shape[2]} but the config's d_model is {config.ModelDim}");
        using var encoder = new T5Encoder(config);
        var loaded = encoder.LoadWeights(weightsPath);
        encoder.eval();
        stdout.WriteLine($"model    T5 encoder: {config.NumLayers} layers, d_model {config.ModelDim}, {config.NumHeads} heads, {config.FeedForwardProj} ({loaded.Loaded} tensors loaded from {Path.GetFileName(weightsPath)})");

        var actual = encoder.forward(bundle.InputIds, bundle.AttentionMask);
        var expected = bundle.LastHiddenState.to(ScalarType.Float64);
        double maxAbs = (actual.to(ScalarType.Float64) - expected).abs().max().item<double>();
        double scale = expected.abs().max().item<double>();
        double relative = scale > 0 ? maxAbs / scale : maxAbs;
        bool within = maxAbs <= tolerance;
        stdout.WriteLine("tensor             shape            max abs error  relative error");
        stdout.WriteLine(FormattableString.Invariant(
            $"last_hidden_state  {"[" + string.Join(", ", actual.shape) + "]",-15}  {maxAbs,13:E3}  {relative,14:E3}  {(within ? "ok" : "OUTSIDE")}"));
        stdout.WriteLine(FormattableString.Invariant($"{(within ? "within" : "outside")} tolerance {tolerance:G3}"));
        return within ? 0 : VerifyCommand.Outside;
    }
}
