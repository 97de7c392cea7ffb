using Matryoshka.Cli.Commands;
using Matryoshka.Tests.Pipelines;
using Xunit;

namespace Matryoshka.Tests.Cli;

/// <summary><c>generate --model NAME|FOLDER</c> and <c>--device</c>: model folders with a manifest, from the command line.</summary>
public class GenerateModelFolderTests
{
    private static (int Code, string Output) Generate(GenerateCommand.Options options)
    {
        var stdout = new StringWriter();
        return (GenerateCommand.Run(options, stdout, stdout), stdout.ToString());
    }

    [Fact]
    public void The_shipped_model_by_name_and_by_folder_draws_the_same_image_as_the_default()
    {
        using var temp = new TempFolder();
        var options = new GenerateCommand.Options(null, null, "", temp.File("default.png"), Seed: 3, Steps: 2, Prompts: new[] { "a cat face" });
        string folder = Path.Combine(AppContext.BaseDirectory, "models", "emoji-64");

        Assert.Equal(0, Generate(options).Code);
        Assert.Equal(0, Generate(options with { Model = "emoji-64", Output = temp.File("named.png") }).Code);
        Assert.Equal(0, Generate(options with { Model = folder, Output = temp.File("folder.png"), Device = "cpu" }).Code);
        Assert.Equal(File.ReadAllBytes(temp.File("default.png")), File.ReadAllBytes(temp.File("named.png")));
        Assert.Equal(File.ReadAllBytes(temp.File("default.png")), File.ReadAllBytes(temp.File("folder.png")));
    }

    [Fact]
    public void Any_folder_with_a_manifest_is_a_model_and_several_prompts_give_one_image_each()
    {
        using var model = new ManifestFolder();
        using var temp = new TempFolder();
        var (code, output) = Generate(new GenerateCommand.Options(null, null, "", temp.File("x.png"), Model: model.Path, Seed: 1, Prompts: new[] { "ab", "cd" }));

        Assert.True(code == 0, output);
        Assert.Contains("(3 steps", output); // the manifest's steps
        Assert.True(File.Exists(temp.File("x-0.png")) && File.Exists(temp.File("x-1.png")), output);
    }

    [Theory]
    [InlineData("no-such-model", null, "--model 'no-such-model' is neither a model shipped with this tool (emoji-256, emoji-64)")]
    [InlineData(null, "gpu9", "'gpu9' is not a device name")]
    public void A_bad_model_or_device_is_refused_before_sampling(string? model, string? device, string expected)
    {
        using var temp = new TempFolder();
        var (code, output) = Generate(new GenerateCommand.Options(null, null, "", temp.File("x.png"), Prompts: new[] { "a cat" }, Model: model, Device: device));
        Assert.Equal(GenerateCommand.InputRefused, code);
        Assert.Contains(expected, output);
        Assert.False(File.Exists(temp.File("x.png")));
    }
}
