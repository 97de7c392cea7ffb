using Matryoshka.IO.Weights;
using Matryoshka.Interop.MlMdm;
using Matryoshka.IO;
using Matryoshka.IO.Checkpoints;
using Matryoshka.Models;
using Matryoshka.Training;
using Matryoshka.Training.Checkpoints;
using TorchSharp;
using Xunit;

namespace Matryoshka.Tests.IO.Checkpoints;

/// <summary><see cref="MlMdmCheckpointExport.Export"/>: ours → .pth → ours, identical, in ml-mdm's own key order.</summary>
public class MlMdmCheckpointExportTests
{
    public static TheoryData<string> DTypes => ["float32", "bfloat16", "float16"];

    internal static torch.ScalarType Parse(string dtype) => dtype switch
    {
        "float32" => torch.ScalarType.Float32,
        "bfloat16" => torch.ScalarType.BFloat16,
        _ => torch.ScalarType.Float16,
    };

    /// <summary>The checkpoint fixture's weights as a safetensors file in <paramref name="dtype"/>: our side of the round trip.</summary>
    internal static Dictionary<string, torch.Tensor> WriteSource(string path, string dtype)
    {
        var tensors = SafetensorsReader.Load(CheckpointFixtures.Expected).ToDictionary(p => p.Key, p => p.Value.to(Parse(dtype)));
        SafetensorsWriter.Save(path, tensors);
        return tensors;
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void A_weights_file_round_trips_bit_for_bit_in_the_order_ml_mdm_itself_saves(string dtype)
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var source = WriteSource(folder.File("model.safetensors"), dtype);

        var result = MlMdmCheckpointExport.Export(folder.File("model.safetensors"), folder.File("vis_model.pth"),
            new MlMdmExportOptions { ConfigPath = CheckpointFixtures.Config });

        Assert.Equal((CheckpointFixtures.TensorCount, 0L, "weights file", 24), (result.TensorCount, result.BatchNumber, result.Weights, result.TextEmbeddingDim));
        Assert.Equal(source.Values.Sum(t => t.numel() * t.element_size()), result.TensorBytes);
        using var exported = MlMdmCheckpoint.Load(folder.File("vis_model.pth"));
        using var written = MlMdmCheckpoint.Load(CheckpointFixtures.Zip); // saved by ml-mdm's own code
        Assert.Equal(written.StateDict.Keys, exported.StateDict.Keys);
        foreach (var (name, tensor) in source) MlMdmCheckpointTests.AssertIdentical(tensor, exported.StateDict[name], name);
        Assert.Equal(["batch_num", "best_avg_loss", "exp_avg_loss", "exp_avg_loss_var"], exported.Metadata.Keys);
        Assert.Equal(new object?[] { 0L, 1_000_000_000_000L, 0L, 0L }, exported.Metadata.Values);
        Assert.Equal(folder.File("vis_model.yaml"), result.ConfigPath);
        Assert.Equal(File.ReadAllBytes(CheckpointFixtures.Config), File.ReadAllBytes(result.ConfigPath));
    }

    [Fact]
    public void Weights_whose_keys_differ_from_the_architecture_are_refused_naming_the_keys()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var tensors = SafetensorsReader.Load(CheckpointFixtures.Expected);
        tensors.Remove("conv_in.weight");
        tensors["module.conv_in.weight"] = torch.zeros(1); // a DDP-wrapped name: ml-mdm would drop it silently
        SafetensorsWriter.Save(folder.File("w.safetensors"), tensors);

        var error = Assert.Throws<WeightsMismatchException>(() => MlMdmCheckpointExport.Export(folder.File("w.safetensors"), folder.File("w.pth"),
            new MlMdmExportOptions { ConfigPath = CheckpointFixtures.Config }));

        Assert.Equal(["conv_in.weight"], error.Missing);
        Assert.Equal(["module.conv_in.weight"], error.Unexpected);
        Assert.Contains("1 missing (conv_in.weight); 1 unexpected (module.conv_in.weight)", error.Message);
        Assert.Equal([folder.File("w.safetensors")], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_shape_that_differs_from_the_architecture_is_refused()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var tensors = SafetensorsReader.Load(CheckpointFixtures.Expected);
        tensors["conv_in.weight"] = tensors["conv_in.weight"][..1];
        SafetensorsWriter.Save(folder.File("w.safetensors"), tensors);

        var error = Assert.Throws<WeightsMismatchException>(() => MlMdmCheckpointExport.Export(folder.File("w.safetensors"), folder.File("w.pth"),
            new MlMdmExportOptions { ConfigPath = CheckpointFixtures.Config }));

        Assert.Contains("Weight 'conv_in.weight' has shape [1, 3, 3, 3]", error.Message);
        Assert.False(File.Exists(folder.File("w.pth")));
    }

    [Fact]
    public void A_training_checkpoint_exports_its_ema_weights_or_its_trained_ones_at_its_step()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var ema = SafetensorsReader.Load(CheckpointFixtures.Expected);
        var trained = ema.ToDictionary(p => p.Key, p => p.Value * 2);
        var state = new TrainerState(
            ema.Select(p => KeyValuePair.Create(TrainerState.EmaPrefix + p.Key, p.Value))
                .Concat(trained.Select(p => KeyValuePair.Create(TrainerState.ModelPrefix + p.Key, p.Value)))
                .ToDictionary(), new TrainerCounters(40, 0, 40));
        var record = new TrainingCheckpointStore(folder.File("checkpoints")).Save(state, new TrainingCheckpointInfo { Step = 40 });

        foreach (var (raw, expected) in new[] { (false, ema), (true, trained) })
        {
            var output = folder.File(raw ? "trained.pth" : "ema.pth");
            var result = MlMdmCheckpointExport.Export(record, output, new MlMdmExportOptions { ConfigPath = CheckpointFixtures.Config, Weights = raw ? CheckpointWeightsKind.Trained : CheckpointWeightsKind.Ema });

            Assert.Equal((raw ? "trained" : "ema", 40L), (result.Weights, result.BatchNumber));
            using var exported = MlMdmCheckpoint.Load(output);
            Assert.Equal(40L, exported.BatchNumber);
            foreach (var (name, tensor) in expected) MlMdmCheckpointTests.AssertIdentical(tensor, exported.StateDict[name], name);
        }
    }

    [Fact]
    public void Without_a_config_or_over_an_existing_file_nothing_is_written()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        WriteSource(folder.File("w.safetensors"), "float32");

        var noConfig = Assert.Throws<CheckpointExportException>(() => MlMdmCheckpointExport.Export(folder.File("w.safetensors"), folder.File("w.pth")));
        Assert.Equal(folder.File("model.yaml"), noConfig.FilePath);
        Assert.Contains("no model config beside the source", noConfig.Problem);

        File.WriteAllText(folder.File("w.yaml"), "mine");
        var options = new MlMdmExportOptions { ConfigPath = CheckpointFixtures.Config };
        var exists = Assert.Throws<CheckpointExportException>(() => MlMdmCheckpointExport.Export(folder.File("w.safetensors"), folder.File("w.pth"), options));
        Assert.Equal(folder.File("w.yaml"), exists.FilePath);
        Assert.False(File.Exists(folder.File("w.pth")));

        MlMdmCheckpointExport.Export(folder.File("w.safetensors"), folder.File("w.pth"), options with { Overwrite = true, DType = torch.ScalarType.BFloat16 });
        using var exported = MlMdmCheckpoint.Load(folder.File("w.pth"));
        Assert.All(exported.StateDict.Values, t => Assert.Equal(torch.ScalarType.BFloat16, t.dtype));
    }
}
