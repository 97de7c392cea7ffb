using Matryoshka.Cli.Commands;
using Matryoshka.IO;
using Matryoshka.Tests.Conditioning.T5;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Cli;

/// <summary><c>verify --t5-config C --weights W --bundle B</c> on the transformers T5 fixture.</summary>
public class VerifyT5CommandTests
{
    private static (int Code, string Stdout, string Stderr) Invoke(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = VerifyCommand.Create().Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static (int Code, string Stdout, string Stderr) Verify(string bundle, string tolerance = "1e-4", string? config = null) =>
        Invoke("--t5-config", config ?? T5Fixture.ConfigPath, "--weights", T5Fixture.WeightsPath, "--bundle", bundle, "--tolerance", tolerance);

    [Theory]
    [InlineData("io")]
    [InlineData("io_long")]
    public void Fixture_bundles_are_within_tolerance(string file)
    {
        var (code, stdout, stderr) = Verify(T5Fixture.Io(file), "1e-5");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("last_hidden_state", stdout);
        Assert.Contains(" ok", stdout);
        Assert.Contains("within tolerance", stdout);
    }

    [Fact]
    public void A_tolerance_below_float32_noise_exits_with_1()
    {
        var (code, stdout, _) = Verify(T5Fixture.Io("io"), "1e-9");
        Assert.Equal(1, code);
        Assert.Contains("OUTSIDE", stdout);
    }

    [Fact]
    public void A_corrupted_reference_exits_with_1()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        var tensors = SafetensorsReader.Load(T5Fixture.Io("io"));
        tensors["last_hidden_state"] = tensors["last_hidden_state"].clone();
        tensors["last_hidden_state"][1, 3, 7] = tensors["last_hidden_state"][1, 3, 7] + 0.01;
        SafetensorsWriter.Save(folder.File("corrupt.safetensors"), tensors);
        var (code, stdout, _) = Verify(folder.File("corrupt.safetensors"));
        Assert.Equal(1, code);
        Assert.Contains("1.000E-002", stdout);
    }

    [Fact]
    public void Both_or_neither_config_option_is_refused_with_2()
    {
        var both = Invoke("--config", Fixtures.MlMdm("two_level", "config.json"), "--t5-config", T5Fixture.ConfigPath,
            "--weights", T5Fixture.WeightsPath, "--bundle", T5Fixture.Io("io"));
        Assert.Equal(2, both.Code);
        Assert.Contains("--t5-config", both.Stderr);

        var neither = Invoke("--weights", T5Fixture.WeightsPath, "--bundle", T5Fixture.Io("io"));
        Assert.Equal(2, neither.Code);
        Assert.Contains("--config", neither.Stderr);
        Assert.Contains("--t5-config", neither.Stderr);
    }

    [Fact]
    public void Bad_inputs_are_refused_with_2()
    {
        using var folder = new TempFolder();
        Assert.Equal(2, Verify(folder.File("absent.safetensors")).Code);
        // A diffusion bundle is not a T5 bundle.
        var (code, _, stderr) = Verify(Fixtures.MlMdm("two_level", "forward.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("input_ids", stderr);
        // A config whose d_model differs from the bundle's width.
        var config = File.ReadAllText(T5Fixture.ConfigPath).Replace("\"d_model\": 64", "\"d_model\": 32");
        File.WriteAllText(folder.File("config.json"), config);
        (code, _, stderr) = Verify(T5Fixture.Io("io"), config: folder.File("config.json"));
        Assert.Equal(2, code);
        Assert.Contains("d_model", stderr);
        // A config field out of range.
        File.WriteAllText(folder.File("bad.json"), File.ReadAllText(T5Fixture.ConfigPath).Replace("\"num_heads\": 4", "\"num_heads\": 0"));
        (code, _, stderr) = Verify(T5Fixture.Io("io"), config: folder.File("bad.json"));
        Assert.Equal(2, code);
        Assert.Contains("num_heads", stderr);
        Assert.Equal(2, Verify(T5Fixture.Io("io"), "-1").Code);
    }
}
