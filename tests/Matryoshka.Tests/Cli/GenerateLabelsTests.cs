using Matryoshka.Cli.Commands;
using Matryoshka.IO.Weights;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Cli;

/// <summary><c>matryoshka generate --labels</c> on the class-conditional Fashion-MNIST sample config.</summary>
public class GenerateLabelsTests
{
    private static readonly string Config = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "fashion-mnist.model.yaml");

    private static (int Code, string Error) Generate(GenerateCommand.Options options)
    {
        var stderr = new StringWriter();
        return (GenerateCommand.Run(options, new StringWriter(), stderr), stderr.ToString());
    }

    [Fact]
    public void One_image_per_label_and_bad_labels_or_inputs_are_refused()
    {
        using var temp = new TempFolder();
        using (var scope = NewDisposeScope())
        {
            using var model = new NestedUNet(ModelConfigFiles.Load(Config));
            ModelWeights.Save(model, temp.File("weights.safetensors"));
        }
        var options = new GenerateCommand.Options(Config, temp.File("weights.safetensors"), "", temp.File("out.png"),
            Steps: 2, Seed: 1, Guidance: 2, Pixels: "standard", Labels: "0, 9");

        var (code, error) = Generate(options);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(temp.File("out-0.png")) && File.Exists(temp.File("out-1.png")));

        Assert.Equal(GenerateCommand.InputRefused, Generate(options with { Labels = "10" }).Code); // 10 is the no-class token
        Assert.Equal(GenerateCommand.InputRefused, Generate(options with { Labels = "two" }).Code);
        Assert.Equal(GenerateCommand.InputRefused, Generate(options with { Labels = null }).Code); // neither input
        Assert.Equal(GenerateCommand.InputRefused, Generate(options with { Conditioning = "x.safetensors" }).Code); // both
    }
}
