using System.Text.Json;
using System.Text.Json.Nodes;
using Matryoshka.Cli.Commands;
using Xunit;

namespace Matryoshka.Tests.Cli;

/// <summary>
/// ml-mdm diffusion_config options through <c>inspect</c>, <c>verify</c> and <c>generate</c>: options that only affect
/// training (or nothing) never block or change inference; the paths ml-mdm cannot run are refused with the reason.
/// </summary>
public class DiffusionOptionsCommandTests
{
    // Every option the two-level fixture's nested pipeline reads only in training, or never: none changes sampling.
    private const string TrainingOnly = """
        {"use_vdm_loss_weights": true, "use_random_interp": true, "random_downsample": true, "average_downsample": true,
         "mid_downsample": true, "model_output_scale": 0.1, "sampler_config": {"rescale_schedule": 0.5, "reproject_signal": true}}
        """;

    private static string Config(TempFolder folder, string name, string diffusionChanges)
    {
        var root = JsonNode.Parse(File.ReadAllText(Fixtures.MlMdm("two_level", "config.json")))!.AsObject();
        var diffusion = root["diffusion_config"]!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(diffusionChanges)!.AsObject())
        {
            if (key == "sampler_config")
                foreach (var (samplerKey, samplerValue) in value!.AsObject()) diffusion["sampler_config"]![samplerKey] = samplerValue?.DeepClone();
            else diffusion[key] = value?.DeepClone();
        }
        return folder.Write(name, System.Text.Encoding.UTF8.GetBytes(root.ToJsonString()));
    }

    private static (int Code, string Stdout, string Stderr) Inspect(string config, bool json = false)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = InspectCommand.Run(config, new InspectOptions(Json: json), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static (int Code, string Stdout, string Stderr) Verify(string config, string bundle, VerifyCommand.SamplingOptions sampling)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = VerifyCommand.Run(config, Fixtures.MlMdm("two_level", "weights.safetensors"), Fixtures.MlMdm("two_level", bundle), 1e-5, sampling, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static GenerateCommand.Options Generate(string config, string output) => new(
        config, Fixtures.MlMdm("two_level", "weights.safetensors"), Fixtures.MlMdm("two_level", "sample_ddim.safetensors"), output, Steps: 3, Seed: 5, Guidance: 3);

    [Fact]
    public void Inspect_lists_training_only_and_inert_options()
    {
        using var folder = new TempFolder();
        var config = Config(folder, "config.json", TrainingOnly);

        var (code, stdout, stderr) = Inspect(config);
        Assert.True(code == 0, stderr);
        Assert.Contains("VDM loss weights on", stdout);
        Assert.Contains("level 0 (32²): SNR ÷ 2 (schedule shifted, power 1)", stdout);
        foreach (var flag in new[] { "use_random_interp", "random_downsample", "average_downsample", "mid_downsample", "model_output_scale" })
            Assert.Contains($"no effect: diffusion_config.{flag} = ", stdout);
        Assert.Contains("no effect: diffusion_config.sampler_config.rescale_schedule = 0.5", stdout);
        Assert.Contains("no effect: diffusion_config.sampler_config.reproject_signal = true", stdout);

        var diffusion = JsonDocument.Parse(Inspect(config, json: true).Stdout).RootElement.GetProperty("diffusion");
        Assert.True(diffusion.GetProperty("use_vdm_loss_weights").GetBoolean());
        Assert.Equal(7, diffusion.GetProperty("inert_options").GetArrayLength());
        Assert.Equal(0, diffusion.GetProperty("output_scale_applied").GetDouble());
    }

    [Fact]
    public void Training_only_options_verify_against_ml_mdm_bundles_and_generate_the_same_images()
    {
        using var folder = new TempFolder();
        var config = Config(folder, "config.json", TrainingOnly);

        var forward = Verify(config, "forward.safetensors", new VerifyCommand.SamplingOptions());
        Assert.True(forward.Code == 0, forward.Stdout + forward.Stderr);
        var sampling = Verify(config, "sample_ddim.safetensors", new VerifyCommand.SamplingOptions("ddim", 0, 5, Guidance: 3));
        Assert.True(sampling.Code == 0, sampling.Stdout + sampling.Stderr);

        var (code, stdout, stderr) = GenerateCommandTests.Run(Generate(config, folder.File("options.png")));
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(0, GenerateCommandTests.Run(Generate(Fixtures.MlMdm("two_level", "config.json"), folder.File("plain.png"))).Code);
        Assert.Equal(File.ReadAllBytes(folder.File("plain-0.png")), File.ReadAllBytes(folder.File("options-0.png")));
    }

    [Fact]
    public void A_nested_config_without_schedule_shift_samples_with_its_signal_rescaled()
    {
        using var folder = new TempFolder();
        var config = Config(folder, "config.json", """{"sampler_config": {"schedule_shifted": false}}""");

        var (code, stdout, stderr) = Inspect(config);
        Assert.True(code == 0, stderr);
        Assert.Contains("level 0 (32²): image ÷ 2 (signal rescaled: SNR ÷ 4)", stdout);

        Assert.Equal(0, GenerateCommandTests.Run(Generate(config, folder.File("signal.png"))).Code);
        Assert.Equal(0, GenerateCommandTests.Run(Generate(Fixtures.MlMdm("two_level", "config.json"), folder.File("shifted.png"))).Code);
        Assert.NotEqual(File.ReadAllBytes(folder.File("shifted-0.png")), File.ReadAllBytes(folder.File("signal-0.png")));
        // ml-mdm's sampling bundle was made with the shifted schedule: the rescaled one does not replay it.
        Assert.Equal(VerifyCommand.Outside, Verify(config, "sample_ddim.safetensors", new VerifyCommand.SamplingOptions("ddim", 0, 5, Guidance: 3)).Code);
    }

    [Theory]
    [InlineData("""{"no_use_residual": false}""", "diffusion_config.no_use_residual", "diffusion.py:288")]
    [InlineData("""{"sampler_config": {"rescale_schedule": 2}}""", "diffusion_config.sampler_config.rescale_schedule", "samplers.py:259")]
    public void Paths_ml_mdm_cannot_run_are_refused_by_every_command(string changes, string field, string evidence)
    {
        using var folder = new TempFolder();
        var config = Config(folder, "config.json", changes);

        var inspect = Inspect(config);
        Assert.Equal(InspectCommand.InputRefused, inspect.Code);
        Assert.Contains($"refused: {field}: ", inspect.Stderr);
        Assert.Contains(evidence, inspect.Stderr);

        var verify = Verify(config, "sample_ddim.safetensors", new VerifyCommand.SamplingOptions("ddim", 0, 5, Guidance: 3));
        Assert.Equal(VerifyCommand.InputRefused, verify.Code);
        Assert.Contains(evidence, verify.Stderr);

        var (code, _, stderr) = GenerateCommandTests.Run(Generate(config, folder.File("x.png")));
        Assert.Equal(2, code);
        Assert.Contains(evidence, stderr);
        Assert.False(File.Exists(folder.File("x-0.png")));
    }
}
