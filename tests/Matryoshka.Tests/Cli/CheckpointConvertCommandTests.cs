using Matryoshka.Cli.Commands;
using Matryoshka.IO.Weights;
using Matryoshka.IO;
using Matryoshka.Tests.IO.Checkpoints;
using TorchSharp;
using Xunit;

namespace Matryoshka.Tests.Cli;

public class CheckpointConvertCommandTests
{
    [Theory]
    [InlineData("vis_model_001234.pth", "torch zip")]
    [InlineData("vis_model_legacy.pth", "torch legacy")]
    public void Converted_file_holds_exactly_the_expected_tensors_with_ml_mdm_names(string file, string sourceFormat)
    {
        using var folder = new TempFolder();
        var output = folder.File("model.safetensors");

        var (code, stdout, stderr) = Run(CheckpointFixtures.File(file), output);

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("converted 239 tensors", stdout);
        Assert.Contains("batch_num: 1234", stdout);
        using var scope = torch.NewDisposeScope();
        var expected = SafetensorsReader.Load(CheckpointFixtures.Expected);
        var actual = SafetensorsReader.Load(output);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tensor) in expected)
        {
            MlMdmCheckpointTests.AssertIdentical(tensor, actual[name], name);
        }
        var metadata = SafetensorsReader.ReadHeader(output).Metadata;
        Assert.Equal(file, metadata["source"]);
        Assert.Equal(sourceFormat, metadata["source_format"]);
        Assert.Equal("1234", metadata["batch_num"]);
        Assert.Equal("pt", metadata["format"]);
    }

    [Fact]
    public void Dtype_casts_every_floating_point_tensor_of_a_safetensors_file_and_keeps_the_rest()
    {
        using var folder = new TempFolder();
        using var scope = torch.NewDisposeScope();
        var weights = torch.tensor(new[] { 1f / 3, -2.5e-3f, 70000f }); // 70000 overflows float16, not bfloat16
        var steps = torch.tensor(new long[] { 1_000_000_007 });
        SafetensorsWriter.Save(folder.File("in.safetensors"), new Dictionary<string, torch.Tensor> { ["w"] = weights, ["steps"] = steps },
            new Dictionary<string, string> { ["source"] = "test" });

        foreach (var (name, type) in new[] { ("float16", torch.ScalarType.Float16), ("bfloat16", torch.ScalarType.BFloat16) })
        {
            var output = folder.File(name + ".safetensors");
            var (code, _, stderr) = Run(folder.File("in.safetensors"), output, dtype: name);
            Assert.True(code == 0, stderr);
            var converted = SafetensorsReader.Load(output);
            Assert.Equal(type, converted["w"].dtype);
            Assert.Equal(weights.to(type).to(torch.ScalarType.Float32).data<float>().ToArray(), converted["w"].to(torch.ScalarType.Float32).data<float>().ToArray());
            Assert.Equal(1_000_000_007L, converted["steps"].item<long>());
            var metadata = SafetensorsReader.ReadHeader(output).Metadata;
            Assert.Equal(("test", name), (metadata["source"], metadata["dtype"]));
        }
        Assert.Equal(2, Run(folder.File("in.safetensors"), folder.File("x.safetensors"), dtype: "int8").Code);
        Assert.False(File.Exists(folder.File("x.safetensors")));
    }

    [Fact]
    public void A_training_checkpoint_gives_its_ema_or_with_raw_its_trained_weights()
    {
        using var folder = new TempFolder();
        var config = Matryoshka.Tests.Training.TinyRunConfig.Write(folder.Path, stageSteps: 3, checkpointEvery: 3);
        Assert.Equal(0, TrainCommand.Run(config, folder.File("run"), false, null, null, true, TextWriter.Null, TextWriter.Null, CancellationToken.None));
        string record = Directory.GetFiles(folder.File("run/checkpoints"), "*.json").Max(StringComparer.Ordinal)!;

        using var scope = torch.NewDisposeScope();
        var checkpoint = Matryoshka.Training.Checkpoints.TrainingCheckpointStore.Load(record);
        foreach (var (raw, expected) in new[] { (false, checkpoint.EmaWeights()), (true, checkpoint.ModelWeights()) })
        {
            string output = folder.File(raw ? "raw.safetensors" : "ema.safetensors");
            var (code, _, stderr) = Run(record, output, raw: raw, dtype: "float16");
            Assert.True(code == 0, stderr);
            var actual = SafetensorsReader.Load(output);
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, tensor) in expected)
                Assert.True(tensor.to(torch.ScalarType.Float16).equal(actual[name]).all().item<bool>(), name);
            Assert.Equal(raw ? "trained" : "ema", SafetensorsReader.ReadHeader(output).Metadata["weights"]);
        }
        Assert.False(checkpoint.EmaWeights().Values.Zip(checkpoint.ModelWeights().Values).All(p => p.First.equal(p.Second).all().item<bool>()));
    }

    [Fact]
    public void Existing_output_is_not_overwritten_without_force()
    {
        using var folder = new TempFolder();
        var output = folder.Write("model.safetensors", [1, 2, 3]);

        var (code, stdout, stderr) = Run(CheckpointFixtures.Zip, output);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("already exists; use --force to overwrite it", stderr);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(output));
    }

    [Fact]
    public void Existing_output_is_replaced_with_force()
    {
        using var folder = new TempFolder();
        var output = folder.Write("model.safetensors", [1, 2, 3]);

        var (code, _, stderr) = Run(CheckpointFixtures.Zip, output, force: true);

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Equal(239, SafetensorsReader.ReadHeader(output).Tensors.Count);
    }

    [Fact]
    public void Missing_input_exits_with_2_and_writes_nothing()
    {
        using var folder = new TempFolder();
        var output = folder.File("model.safetensors");

        var (code, _, stderr) = Run(folder.File("absent.pth"), output);

        Assert.Equal(2, code);
        Assert.Contains("file not found", stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Hostile_checkpoint_is_refused_with_2_naming_the_global_and_writes_nothing()
    {
        using var folder = new TempFolder();
        var output = folder.File("model.safetensors");
        File.Delete("/tmp/pwned_marker");

        var (code, _, stderr) = Run(CheckpointFixtures.HostileZip, output);

        Assert.Equal(2, code);
        Assert.StartsWith("refused: ", stderr);
        Assert.Contains("'posix.system'", stderr);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(folder.Path));
        Assert.False(File.Exists("/tmp/pwned_marker"));
    }

    [Fact]
    public void Malformed_checkpoint_is_refused_with_2()
    {
        using var folder = new TempFolder();
        var input = folder.Write("cut.pth", File.ReadAllBytes(CheckpointFixtures.Zip)[..100_000]);

        var (code, _, stderr) = Run(input, folder.File("model.safetensors"));

        Assert.Equal(2, code);
        Assert.Contains("not a readable zip archive", stderr);
    }

    [Fact]
    public void Output_in_a_missing_folder_or_onto_the_input_is_refused_with_2()
    {
        using var folder = new TempFolder();
        var input = folder.Write("in.pth", File.ReadAllBytes(CheckpointFixtures.Zip));

        var (missingCode, _, missingError) = Run(input, folder.File(Path.Combine("absent", "model.safetensors")));
        var (sameCode, _, sameError) = Run(input, input, force: true);

        Assert.Equal(2, missingCode);
        Assert.Contains("does not exist", missingError);
        Assert.Equal(2, sameCode);
        Assert.Contains("--to is the input file", sameError);
    }

    [Fact]
    public void Command_line_parsing_reaches_the_command()
    {
        using var folder = new TempFolder();
        var output = folder.File("model.safetensors");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = ConvertCommand.Create().Parse(["--from", CheckpointFixtures.Zip, "--to", output])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });

        Assert.Equal(0, code);
        Assert.Contains("converted 239 tensors", stdout.ToString());
        Assert.True(File.Exists(output));
    }

    private static (int Code, string Stdout, string Stderr) Run(string from, string to, bool force = false, string? dtype = null, bool raw = false)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = ConvertCommand.Run(from, to, force, stdout, stderr, dtype, raw);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
