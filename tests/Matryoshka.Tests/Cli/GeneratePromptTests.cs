using Matryoshka.Cli.Commands;
using Matryoshka.ImageSharp;
using Xunit;

namespace Matryoshka.Tests.Cli;

/// <summary><c>matryoshka generate "prompt"</c>: prompts encoded by all-MiniLM-L6-v2, on the emoji model's architecture.</summary>
public class GeneratePromptTests
{
    private static readonly string Config = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "emoji-64.model.yaml");

    private static (int Code, string Output) Generate(GenerateCommand.Options options)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        return (GenerateCommand.Run(options, stdout, stderr), stdout + "" + stderr);
    }

    [Fact]
    public void A_prompt_gives_a_reproducible_64_pixel_image_that_depends_on_the_prompt()
    {
        using var temp = new TempFolder();
        RandomWeights.Save(Config, 384, temp.File("w.safetensors"));
        var options = new GenerateCommand.Options(Config, temp.File("w.safetensors"), "", temp.File("apple.png"),
            Steps: 2, Seed: 7, Guidance: 3, Prompts: new[] { "a red apple" }, Grid: temp.File("grid.png"));

        var (code, output) = Generate(options);
        Assert.True(code == 0, output);
        var decoder = new SafeImageDecoder();
        using (var image = decoder.Load(temp.File("apple.png"))) Assert.Equal((64, 64), (image.Width, image.Height));
        using (var grid = decoder.Load(temp.File("grid.png"))) Assert.Equal((2 * 64, 64), (grid.Width, grid.Height)); // both levels at 64²;

        Assert.Equal(0, Generate(options with { Output = temp.File("again.png"), Grid = null }).Code);
        Assert.Equal(File.ReadAllBytes(temp.File("apple.png")), File.ReadAllBytes(temp.File("again.png")));
        Assert.Equal(0, Generate(options with { Output = temp.File("car.png"), Grid = null, Prompts = new[] { "a blue car" } }).Code);
        Assert.NotEqual(File.ReadAllBytes(temp.File("apple.png")), File.ReadAllBytes(temp.File("car.png")));
        Assert.Equal(0, Generate(options with { Output = temp.File("negative.png"), Grid = null, NegativePrompt = "green" }).Code);
        Assert.NotEqual(File.ReadAllBytes(temp.File("apple.png")), File.ReadAllBytes(temp.File("negative.png")));
    }

    [Fact]
    public void An_output_path_that_is_a_folder_is_refused_before_sampling()
    {
        using var temp = new TempFolder();
        RandomWeights.Save(Config, 384, temp.File("w.safetensors"));
        Directory.CreateDirectory(temp.File("images"));
        var options = new GenerateCommand.Options(Config, temp.File("w.safetensors"), "", temp.File("images"),
            Steps: 2, Seed: 7, Guidance: 3, Prompts: new[] { "a red apple" });

        var (code, output) = Generate(options);
        Assert.Equal(GenerateCommand.InputRefused, code);
        Assert.Contains("images is a folder", output);
        Assert.DoesNotContain("step 1/2", output); // refused before the first sampling step

        var (gridCode, gridOutput) = Generate(options with { Output = temp.File("apple.png"), Grid = temp.File("images") });
        Assert.Equal(GenerateCommand.InputRefused, gridCode);
        Assert.Contains("images is a folder", gridOutput);
        Assert.False(File.Exists(temp.File("apple.png")));
    }

    [Fact]
    public void Several_prompts_give_one_image_each_and_a_grid_row_per_image()
    {
        using var temp = new TempFolder();
        RandomWeights.Save(Config, 384, temp.File("w.safetensors"));
        var options = new GenerateCommand.Options(Config, temp.File("w.safetensors"), "", temp.File("emoji.png"),
            Steps: 2, Seed: 7, Guidance: 3, Prompts: new[] { "a red apple", "a blue car", "a red apple" }, Grid: temp.File("grid.png"));

        var (code, output) = Generate(options);
        Assert.True(code == 0, output);
        var images = Enumerable.Range(0, 3).Select(i => File.ReadAllBytes(temp.File($"emoji-{i}.png"))).ToArray();
        Assert.NotEqual(images[0], images[1]);
        Assert.NotEqual(images[0], images[2]); // the same prompt again draws from its own noise
        using (var grid = new SafeImageDecoder().Load(temp.File("grid.png"))) Assert.Equal((2 * 64, 3 * 64), (grid.Width, grid.Height));

        var (refused, message) = Generate(options with { Batch = 2 });
        Assert.Equal(GenerateCommand.InputRefused, refused);
        Assert.Contains("one image each", message);
    }

    [Fact]
    public void Ambiguous_or_empty_inputs_are_refused_with_2()
    {
        using var temp = new TempFolder();
        var options = new GenerateCommand.Options(Config, temp.File("missing.safetensors"), "", temp.File("x.png"), Steps: 2, Prompts: new[] { "a cat" });
        Assert.Equal(GenerateCommand.InputRefused, Generate(options).Code); // weights missing
        Assert.Equal(GenerateCommand.InputRefused, Generate(options with { Prompts = new[] { "a dog", " " } }).Code);
        Assert.Equal(GenerateCommand.InputRefused, Generate(options with { Labels = "1" }).Code);
        Assert.Equal(GenerateCommand.InputRefused, Generate(options with { Conditioning = "c.safetensors" }).Code);
        string tiny = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "tiny-two-level.model.yaml");
        RandomWeights.Save(tiny, null, temp.File("tiny.safetensors"));
        // An unconditional model cannot take the prompt's 384-wide embeddings: its config is refused, naming the field.
        var (refused, message) = Generate(options with { Config = tiny, Weights = temp.File("tiny.safetensors") });
        Assert.Equal(GenerateCommand.InputRefused, refused);
        Assert.Contains("unet_config", message);
        var (code, output) = Generate(options with { Weights = null });
        Assert.Equal(GenerateCommand.InputRefused, code);
        Assert.Contains("both --config and --weights", output);
    }
}
