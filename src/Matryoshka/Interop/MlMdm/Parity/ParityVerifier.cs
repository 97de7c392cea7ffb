using Matryoshka.Conditioning.T5;
using Matryoshka.IO;
using static TorchSharp.torch;

namespace Matryoshka.Interop.MlMdm.Parity;

/// <summary>
/// Replays a recorded run and compares it with the recording, level by level. A forward bundle (<c>x_t.*</c>,
/// <c>t</c>, <c>out.*</c>) checks one model call; a sampling bundle (<c>noise_init.*</c>, <c>final.*</c>, …) checks a
/// whole guided sampling run with the given sampler settings; a T5 encoder bundle (<c>input_ids</c>,
/// <c>attention_mask</c>, <c>last_hidden_state</c>) checks a Hugging Face T5 encoder. The bundles in
/// <c>fixtures/mlmdm</c> and <c>fixtures/t5</c> were recorded with ml-mdm's and transformers' own code.
/// </summary>
public static class ParityVerifier
{
    /// <summary>Replays a forward or sampling bundle (told apart by its tensors) with a diffusion model.</summary>
    /// <param name="configPath">An ml-mdm model config (YAML or config.json).</param>
    /// <param name="weightsPath">Weights with ml-mdm key names (.safetensors or an ml-mdm .pth).</param>
    /// <param name="bundlePath">The recorded run.</param>
    /// <param name="options">Tolerance, device and sampler settings; null: the defaults.</param>
    /// <exception cref="ParityBundleException">The bundle is missing, malformed, or does not fit the model or the options.</exception>
    /// <exception cref="MatryoshkaException">The config or the weights are refused (the message names the problem).</exception>
    /// <exception cref="ArgumentException">The options are invalid, or name an unknown sampler.</exception>
    public static ParityReport VerifyModel(string configPath, string weightsPath, string bundlePath, ParityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configPath);
        ArgumentNullException.ThrowIfNull(weightsPath);
        options ??= new ParityOptions();
        options.Validate();
        RequireBundle(bundlePath);
        using var scope = NewDisposeScope();
        return SamplingBundle.IsSamplingBundle(bundlePath)
            ? SamplingReplay.Run(configPath, weightsPath, SamplingBundle.Load(bundlePath), options)
            : ForwardReplay.Run(configPath, weightsPath, ForwardBundle.Load(bundlePath), bundlePath, options);
    }

    /// <summary>Runs a T5 encoder on a recorded call and compares <c>last_hidden_state</c>.</summary>
    /// <param name="configPath">The encoder's Hugging Face config.json.</param>
    /// <param name="weightsPath">Hugging Face T5 weights: .safetensors, a shard index or a model folder.</param>
    /// <param name="bundlePath">The recorded call.</param>
    /// <param name="tolerance">Largest allowed absolute difference.</param>
    /// <exception cref="ParityBundleException">The bundle is missing, malformed or does not fit the config.</exception>
    /// <exception cref="MatryoshkaException">The config or the weights are refused.</exception>
    public static T5ParityReport VerifyT5Encoder(string configPath, string weightsPath, string bundlePath, double tolerance = 1e-4)
    {
        ArgumentNullException.ThrowIfNull(configPath);
        ArgumentNullException.ThrowIfNull(weightsPath);
        new ParityOptions { Tolerance = tolerance }.Validate();
        RequireBundle(bundlePath);
        using var scope = NewDisposeScope();
        var bundle = T5EncoderBundle.Load(bundlePath);
        var config = T5EncoderConfig.FromFile(configPath);
        if (bundle.LastHiddenState.shape[2] != config.ModelDim)
            throw new ParityBundleException(bundlePath, $"last_hidden_state has width {bundle.LastHiddenState.shape[2]} but the config's d_model is {config.ModelDim}");
        using var encoder = new T5Encoder(config);
        var loaded = encoder.LoadWeights(weightsPath);
        encoder.eval();
        using var inference = inference_mode();
        var actual = encoder.forward(bundle.InputIds, bundle.AttentionMask);
        var (maxAbs, relative) = TensorDifference.Of(bundle.LastHiddenState, actual);
        return new T5ParityReport(config, loaded.Loaded, Path.GetFileName(weightsPath), actual.shape, maxAbs, relative, tolerance);
    }

    private static void RequireBundle(string bundlePath)
    {
        ArgumentNullException.ThrowIfNull(bundlePath);
        if (!File.Exists(bundlePath)) throw new ParityBundleException(bundlePath, "file not found");
    }
}
