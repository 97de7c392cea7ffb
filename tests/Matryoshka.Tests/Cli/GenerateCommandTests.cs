using Matryoshka.Cli.Commands;
using Matryoshka.ImageSharp;
using Xunit;

namespace Matryoshka.Tests.Cli;

public class GenerateCommandTests
{
    private static GenerateCommand.Options Options(string output, string conditioning = "sample_ddim.safetensors") => new(
        Fixtures.MlMdm("two_level", "config.json"), Fixtures.MlMdm("two_level", "weights.safetensors"),
        Fixtures.MlMdm("two_level", conditioning), output, Steps: 3, Seed: 5, Guidance: 3);

    internal static (int Code, string Stdout, string Stderr) Run(GenerateCommand.Options options)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = GenerateCommand.Run(options, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Writes_one_png_per_conditioning_row_and_a_level_grid_reproducibly()
    {
        using var folder = new TempFolder();
        var (code, stdout, stderr) = Run(Options(folder.File("a.png")) with { Grid = folder.File("grid.png") });
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("step 3/3", stdout);
        var decoder = new SafeImageDecoder();
        using (var image = decoder.Load(folder.File("a-0.png"))) Assert.Equal((32, 32), (image.Width, image.Height));
        using (var grid = decoder.Load(folder.File("grid.png"))) Assert.Equal((64, 64), (grid.Width, grid.Height));

        Assert.Equal(0, Run(Options(folder.File("b.png"))).Code);
        Assert.Equal(File.ReadAllBytes(folder.File("a-1.png")), File.ReadAllBytes(folder.File("b-1.png")));
    }

    [Fact]
    public void Bad_inputs_exit_with_2()
    {
        using var folder = new TempFolder();
        Assert.Equal(2, Run(Options(folder.File("x.png"), "missing.safetensors")).Code);
        // forward.safetensors has lm_outputs but no unconditional pair: guidance 3 needs one.
        var (code, _, stderr) = Run(Options(folder.File("x.png"), "forward.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("unconditional", stderr);
        Assert.Equal(2, Run(Options(folder.File("x.png")) with { Sampler = "euler" }).Code);
        Assert.Equal(2, Run(Options(folder.File("x.png")) with { Steps = 0 }).Code);
        Assert.Equal(2, Run(Options(folder.File("x.png")) with { Pixels = "srgb" }).Code);
        Assert.False(File.Exists(folder.File("x.png")));
    }

    [Fact]
    public void Refuses_an_output_that_is_a_fifo_before_sampling_and_leaves_it_in_place()
    {
        using var folder = new TempFolder();
        var fifo = SpecialFiles.Fifo(folder.File("out.png"));
        var (code, stdout, stderr) = Run(Options(fifo));
        Assert.Equal(2, code);
        Assert.Contains($"{fifo}: is a FIFO", stderr);
        Assert.DoesNotContain("wrote", stdout);
        Assert.Equal("FIFO", Matryoshka.IO.FileKinds.NonRegularKind(fifo));
    }
}
