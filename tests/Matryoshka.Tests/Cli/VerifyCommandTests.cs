using Matryoshka.Cli.Commands;
using Matryoshka.IO;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Cli;

public class VerifyCommandTests
{
    private static (int Code, string Stdout, string Stderr) Run(string config, string weights, string bundle, double tolerance = 1e-4)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = VerifyCommand.Run(config, weights, bundle, tolerance, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("two_level", 2)]
    [InlineData("three_level", 3)]
    [InlineData("temporal_two_level", 2)]
    public void Fixture_models_are_within_1e_5_of_ml_mdm(string name, int levels)
    {
        var (code, stdout, stderr) = Run(Fixtures.MlMdm(name, "config.json"), Fixtures.MlMdm(name, "weights.safetensors"), Fixtures.MlMdm(name, "forward.safetensors"), 1e-5);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(levels, stdout.Split('\n').Count(l => l.TrimEnd().EndsWith(" ok")));
        Assert.Contains("within tolerance", stdout);
    }

    [Fact]
    public void Differences_above_the_tolerance_exit_with_1()
    {
        // float32 re-implementations differ from ml-mdm by ~5e-7 (fixture README); 1e-9 is tighter than that.
        var (code, stdout, _) = Run(Fixtures.MlMdm("two_level", "config.json"), Fixtures.MlMdm("two_level", "weights.safetensors"), Fixtures.MlMdm("two_level", "forward.safetensors"), 1e-9);
        Assert.Equal(1, code);
        Assert.Contains("OUTSIDE", stdout);
    }

    [Fact]
    public void Weights_of_another_model_are_refused_with_2()
    {
        var (code, _, stderr) = Run(Fixtures.MlMdm("two_level", "config.json"), Fixtures.MlMdm("three_level", "weights.safetensors"), Fixtures.MlMdm("two_level", "forward.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("missing", stderr);
    }

    [Fact]
    public void Missing_and_inconsistent_bundles_are_refused_with_2()
    {
        using var folder = new TempFolder();
        var config = Fixtures.MlMdm("two_level", "config.json");
        var weights = Fixtures.MlMdm("two_level", "weights.safetensors");
        Assert.Equal(2, Run(config, weights, folder.File("absent.safetensors")).Code);

        using var scope = NewDisposeScope();
        var tensors = SafetensorsReader.Load(Fixtures.MlMdm("two_level", "forward.safetensors"));
        tensors["out.1"] = zeros(2, 3, 8, 8);
        SafetensorsWriter.Save(folder.File("bad.safetensors"), tensors);
        var (code, _, stderr) = Run(config, weights, folder.File("bad.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("out.1", stderr);

        tensors = SafetensorsReader.Load(Fixtures.MlMdm("two_level", "forward.safetensors"));
        tensors["lm_outputs"] = zeros(2, 5, 40);
        SafetensorsWriter.Save(folder.File("text.safetensors"), tensors);
        (code, _, stderr) = Run(config, weights, folder.File("text.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("width 40", stderr);
    }

    [Fact]
    public void Negative_tolerance_is_refused()
    {
        Assert.Equal(2, Run(Fixtures.MlMdm("two_level", "config.json"), Fixtures.MlMdm("two_level", "weights.safetensors"), Fixtures.MlMdm("two_level", "forward.safetensors"), -1).Code);
    }

    public static TheoryData<string, string, string, double, int> SamplingCases => new()
    {
        { "two_level", "sample_ddim", "ddim", 0, 5 }, { "two_level", "sample_ddim_eta1", "ddim", 1, 5 }, { "two_level", "sample_ddpm", "ddpm", 0, 5 },
        { "three_level", "sample_ddim", "ddim", 0, 4 }, { "three_level", "sample_ddim_eta1", "ddim", 1, 4 }, { "three_level", "sample_ddpm", "ddpm", 0, 4 },
        { "temporal_two_level", "sample_ddim", "ddim", 0, 3 }, { "temporal_two_level", "sample_ddpm", "ddpm", 0, 3 },
    };

    private static (int Code, string Stdout, string Stderr) RunSampling(string name, string file, VerifyCommand.SamplingOptions options, double tolerance = 1e-5)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = VerifyCommand.Run(Fixtures.MlMdm(name, "config.json"), Fixtures.MlMdm(name, "weights.safetensors"),
            Fixtures.MlMdm(name, file + ".safetensors"), tolerance, options, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory, MemberData(nameof(SamplingCases))]
    public void Sampling_bundles_replay_within_1e_5(string name, string file, string sampler, double eta, int steps)
    {
        var (code, stdout, stderr) = RunSampling(name, file, new VerifyCommand.SamplingOptions(sampler, eta, steps, Guidance: 3));
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("within tolerance", stdout);
    }

    [Fact]
    public void The_wrong_sampler_is_outside_and_the_wrong_step_count_is_refused()
    {
        Assert.Equal(1, RunSampling("two_level", "sample_ddpm", new VerifyCommand.SamplingOptions("ddim", 0, 5, 3)).Code);
        var (code, _, stderr) = RunSampling("two_level", "sample_ddpm", new VerifyCommand.SamplingOptions("ddpm", 0, 7, 3));
        Assert.Equal(2, code);
        Assert.Contains("timesteps", stderr);
        Assert.Equal(2, RunSampling("two_level", "sample_ddpm", new VerifyCommand.SamplingOptions("euler", 0, 5, 3)).Code);
        Assert.Equal(2, RunSampling("two_level", "sample_ddpm", new VerifyCommand.SamplingOptions("ddpm", 0, 5, 3, "sharp")).Code);
    }

    [Fact]
    public void An_explicit_device_replays_the_same_run_and_a_bad_one_is_refused()
    {
        var (code, stdout, stderr) = RunSampling("two_level", "sample_ddim", new VerifyCommand.SamplingOptions("ddim", 0, 5, Guidance: 3, Device: "cpu"));
        Assert.True(code == 0, stdout + stderr);
        var refused = RunSampling("two_level", "sample_ddim", new VerifyCommand.SamplingOptions("ddim", 0, 5, Guidance: 3, Device: "gpu9"));
        Assert.Equal(2, refused.Code);
        Assert.Contains("'gpu9' is not a device name", refused.Stderr);
    }
}
