using Matryoshka.IO;
using static TorchSharp.torch;

namespace Matryoshka.Interop.MlMdm.Parity;

/// <summary>One recorded model call replayed: every level's output against the recording.</summary>
internal static class ForwardReplay
{
    public static ParityReport Run(string configPath, string weightsPath, ForwardBundle bundle, string bundlePath, ParityOptions options)
    {
        var device = options.Device ?? CPU;
        var (model, loaded) = ParityModel.Load(configPath, weightsPath, bundle.Text?.shape[2], (int)bundle.Inputs[0].shape[2], bundlePath, device);
        using (model)
        {
            using var inference = inference_mode();
            var outputs = model.Forward(bundle.Inputs.Select(x => x.to(device)).ToArray(), bundle.Timesteps.to(device), bundle.Text?.to(device), bundle.TextMask?.to(device));
            var levels = outputs.Select((output, l) =>
            {
                var (maxAbs, relative) = TensorDifference.Of(bundle.ExpectedOutputs[l], output);
                return new LevelParity(l, output.shape[2], maxAbs, relative, null, maxAbs <= options.Tolerance);
            }).ToArray();
            return new ParityReport(model.Plan.Resolutions, loaded, Path.GetFileName(weightsPath), null, levels, options.Tolerance);
        }
    }
}
