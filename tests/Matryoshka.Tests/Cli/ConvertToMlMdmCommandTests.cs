using System.CommandLine;
using Matryoshka.Cli.Commands;
using Matryoshka.IO;
using Matryoshka.IO.Checkpoints;
using Matryoshka.Tests.IO.Checkpoints;
using TorchSharp;
using Xunit;

namespace Matryoshka.Tests.Cli;

/// <summary><c>convert --to Y.pth --format mlmdm</c>, the export direction, and the help that describes both.</summary>
public class ConvertToMlMdmCommandTests
{
    [Fact]
    public void Format_mlmdm_exports_a_checkpoint_and_its_config_that_load_back_identically()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = ConvertCommand.Run(CheckpointFixtures.Expected, folder.File("vis_model.pth"), false, stdout, stderr,
            dtype: "bfloat16", format: "mlmdm", config: CheckpointFixtures.Config);

        Assert.True(code == 0, stderr.ToString());
        Assert.Contains($"exported 239 tensors (1,168,972 bytes, weights file, batch_num 0) from {CheckpointFixtures.Expected} to {folder.File("vis_model.pth")}", stdout.ToString());
        Assert.Contains($"config: {folder.File("vis_model.yaml")}", stdout.ToString());
        using var exported = MlMdmCheckpoint.Load(folder.File("vis_model.pth"));
        foreach (var (name, tensor) in SafetensorsReader.Load(CheckpointFixtures.Expected))
            MlMdmCheckpointTests.AssertIdentical(tensor.to(torch.ScalarType.BFloat16), exported.StateDict[name], name);
    }

    [Fact]
    public void Refusals_name_the_problem_and_write_nothing()
    {
        using var folder = new TempFolder();
        var stderr = new StringWriter();

        Assert.Equal(ConvertCommand.InputRefused, ConvertCommand.Run(CheckpointFixtures.Expected, folder.File("a.pth"), false, TextWriter.Null, stderr, format: "onnx"));
        Assert.Equal(ConvertCommand.InputRefused, ConvertCommand.Run(CheckpointFixtures.Expected, folder.File("a.safetensors"), false, TextWriter.Null, stderr, config: CheckpointFixtures.Config));
        Assert.Equal(ConvertCommand.InputRefused, ConvertCommand.Run(CheckpointFixtures.Expected, folder.File("a.pth"), false, TextWriter.Null, stderr, format: "mlmdm"));

        Assert.Equal(string.Join(Environment.NewLine, [
            "refused: --format 'onnx' is not one of safetensors, mlmdm",
            "refused: --config applies to --format mlmdm only",
            $"refused: {Path.Combine(Path.GetDirectoryName(CheckpointFixtures.Expected)!, "model.yaml")}: no model config beside the source; name the model's ml-mdm config (MlMdmExportOptions.ConfigPath, convert --config)",
            ""]), stderr.ToString());
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Help_describes_both_directions()
    {
        var root = new RootCommand { ConvertCommand.Create() };
        var help = new StringWriter();

        root.Parse(["convert", "--help"]).Invoke(new InvocationConfiguration { Output = help });

        Assert.Contains("--from X.pth --to Y.safetensors", help.ToString());
        Assert.Contains("--to Y.pth --format mlmdm", help.ToString());
        Assert.Contains("--config", help.ToString());
    }
}
