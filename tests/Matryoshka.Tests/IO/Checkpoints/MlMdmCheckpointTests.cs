using System.Text.Json;
using Matryoshka.IO;
using Matryoshka.IO.Checkpoints;
using TorchSharp;
using Xunit;

namespace Matryoshka.Tests.IO.Checkpoints;

public class MlMdmCheckpointTests
{
    public static TheoryData<string, CheckpointFormat> Files => new()
    {
        { "vis_model_001234.pth", CheckpointFormat.Zip },
        { "vis_model_legacy.pth", CheckpointFormat.Legacy },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_tensor_equals_the_expected_state_dict_bit_for_bit(string file, CheckpointFormat format)
    {
        using var scope = torch.NewDisposeScope();
        var expected = SafetensorsReader.Load(CheckpointFixtures.Expected);

        using var checkpoint = MlMdmCheckpoint.Load(CheckpointFixtures.File(file));

        Assert.Equal(format, checkpoint.Format);
        Assert.Equal(CheckpointFixtures.TensorCount, expected.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), checkpoint.StateDict.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, want) in expected)
        {
            AssertIdentical(want, checkpoint.StateDict[name], name);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Metadata_holds_the_training_values(string file, CheckpointFormat format)
    {
        using var checkpoint = MlMdmCheckpoint.Load(CheckpointFixtures.File(file));

        Assert.Equal(format, checkpoint.Format);
        Assert.Equal(CheckpointFixtures.BatchNumber, checkpoint.BatchNumber);
        Assert.Equal(0.0521, checkpoint.Loss);
        Assert.Equal(["batch_num", "loss", "best_avg_loss", "exp_avg_loss", "exp_avg_loss_var", "args"], checkpoint.Metadata.Keys);
        Assert.Equal(0.05, checkpoint.Metadata["best_avg_loss"]);
        Assert.Equal(0.0519, checkpoint.Metadata["exp_avg_loss"]);
        Assert.Equal(0.001, checkpoint.Metadata["exp_avg_loss_var"]);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Args_namespace_is_inert_data_with_the_configs(string file, CheckpointFormat format)
    {
        using var checkpoint = MlMdmCheckpoint.Load(CheckpointFixtures.File(file));

        Assert.Equal(format, checkpoint.Format);
        var args = Assert.IsType<PickledObject>(checkpoint.Args);
        Assert.Equal("argparse.Namespace", args.TypeName);
        Assert.Empty(args.Arguments);
        Assert.Equal("two_level.yaml", args["config_path"]);
        Assert.Equal("nested_unet", args["model"]);
        Assert.Equal(4L, args["batch_size"]);
        Assert.Equal(5e-5, args["lr"]);
        Assert.Equal(-1L, args["seed"]);

        var unet = Assert.IsType<PickledObject>(args["unet_config"]);
        Assert.Equal("ml_mdm.models.nested_unet.NestedUNetConfig", unet.TypeName);
        Assert.Equal("ml_mdm.models.unet.UNetConfig", Assert.IsType<PickledObject>(unet["inner_config"]).TypeName);
        Assert.Equal("ml_mdm.models.unet.ResNetConfig", Assert.IsType<PickledObject>(unet["resnet_config"]).TypeName);

        var diffusion = Assert.IsType<PickledObject>(args["diffusion_config"]);
        Assert.Equal("ml_mdm.diffusion.NestedDiffusionConfig", diffusion.TypeName);
        Assert.Equal("4:1", diffusion["multi_res_weights"]);
        var sampler = Assert.IsType<PickledObject>(diffusion["sampler_config"]);
        Assert.Equal("ml_mdm.samplers.SamplerConfig", sampler.TypeName);
        Assert.Equal(1000L, sampler["num_diffusion_steps"]);
        Assert.Equal(new PickledEnumMember("ml_mdm.samplers.PredictionType", "V_PREDICTION"), sampler["prediction_type"]);
        Assert.Equal(new PickledEnumMember("ml_mdm.samplers.PredictionType", "DDPM"), sampler["loss_target_type"]);
        Assert.Equal(new PickledEnumMember("ml_mdm.samplers.ScheduleType", "DEEPFLOYD"), sampler["schedule_type"]);
        Assert.Equal(new PickledEnumMember("ml_mdm.samplers.ThresholdType", "CLIP"), sampler["threshold_function"]);
        Assert.Equal(true, sampler["schedule_shifted"]);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Pickled_model_config_matches_the_fixture_config_json(string file, CheckpointFormat format)
    {
        using var checkpoint = MlMdmCheckpoint.Load(CheckpointFixtures.File(file));
        using var json = JsonDocument.Parse(File.ReadAllText(CheckpointFixtures.Config));

        Assert.Equal(format, checkpoint.Format);
        // The one difference is in the fixture itself (Python's pickletools shows the pickled 32):
        // config.json records the inner UNet's conditioning_feature_dim as -1, its args hold 32.
        var inner = Assert.IsType<PickledObject>(Assert.IsType<PickledObject>(checkpoint.Args!["unet_config"])["inner_config"]);
        Assert.Equal(32L, inner["conditioning_feature_dim"]);
        AssertMatches(json.RootElement.GetProperty("unet_config"), checkpoint.Args["unet_config"], "unet_config",
            skip: "unet_config.inner_config.conditioning_feature_dim");
    }

    [Fact]
    public void Both_formats_give_the_same_keys_in_the_same_order_and_the_same_metadata()
    {
        using var zip = MlMdmCheckpoint.Load(CheckpointFixtures.Zip);
        using var legacy = MlMdmCheckpoint.Load(CheckpointFixtures.Legacy);

        Assert.Equal(zip.StateDict.Keys, legacy.StateDict.Keys);
        Assert.Equal("temb_layer1.weight", zip.StateDict.Keys.First());
        Assert.Equal(zip.Args!.ToString(), legacy.Args!.ToString());
        Assert.StartsWith("Namespace(config_path='two_level.yaml', model='nested_unet', unet_config=NestedUNetConfig(", zip.Args.ToString());
        Assert.Contains("prediction_type=ml_mdm.samplers.PredictionType.V_PREDICTION", zip.Args.ToString());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void PickleCheckpoint_loads_the_same_tensors_in_file_order(string file, CheckpointFormat format)
    {
        using var scope = torch.NewDisposeScope();
        using var checkpoint = MlMdmCheckpoint.Load(CheckpointFixtures.File(file));

        var tensors = PickleCheckpoint.LoadTensors(CheckpointFixtures.File(file));

        Assert.Equal(format, checkpoint.Format);
        Assert.Equal(checkpoint.StateDict.Keys, tensors.Keys);
        foreach (var (name, tensor) in tensors)
        {
            AssertIdentical(checkpoint.StateDict[name], tensor, name);
        }
    }

    [Fact]
    public void Tensors_are_contiguous_cpu_tensors_without_gradients()
    {
        using var checkpoint = MlMdmCheckpoint.Load(CheckpointFixtures.Zip);

        Assert.All(checkpoint.StateDict.Values, t =>
        {
            Assert.Equal(DeviceType.CPU, t.device_type);
            Assert.True(t.is_contiguous());
            Assert.False(t.requires_grad);
        });
    }

    [Fact]
    public void Dispose_releases_every_tensor()
    {
        var checkpoint = MlMdmCheckpoint.Load(CheckpointFixtures.Zip);
        var tensors = checkpoint.StateDict.Values.ToList();

        checkpoint.Dispose();

        Assert.All(tensors, t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void Missing_file_throws_FileNotFoundException()
    {
        using var folder = new TempFolder();

        Assert.Throws<FileNotFoundException>(() => MlMdmCheckpoint.Load(folder.File("absent.pth")));
    }

    internal static void AssertIdentical(torch.Tensor expected, torch.Tensor actual, string name)
    {
        Assert.True(expected.dtype == actual.dtype, $"{name}: dtype {actual.dtype}, expected {expected.dtype}");
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{name}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        using var contiguous = actual.contiguous();
        Assert.True(expected.contiguous().bytes.SequenceEqual(contiguous.bytes), $"{name}: bytes differ");
    }

    private static void AssertMatches(JsonElement expected, object? actual, string path, string skip)
    {
        if (path == skip)
        {
            return;
        }
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = Assert.IsType<PickledObject>(actual);
                foreach (var property in expected.EnumerateObject())
                {
                    Assert.True(obj.Fields.ContainsKey(property.Name), $"{path}.{property.Name} is missing from the pickled {obj.TypeName}");
                    AssertMatches(property.Value, obj.Fields[property.Name], $"{path}.{property.Name}", skip);
                }
                break;
            case JsonValueKind.Array:
                var list = Assert.IsAssignableFrom<IReadOnlyList<object?>>(actual);
                var items = expected.EnumerateArray().ToList();
                Assert.True(items.Count == list.Count, $"{path}: {list.Count} items, expected {items.Count}");
                for (var i = 0; i < items.Count; i++)
                {
                    AssertMatches(items[i], list[i], $"{path}[{i}]", skip);
                }
                break;
            case JsonValueKind.Number when expected.TryGetInt64(out var integer) && actual is long:
                Assert.True(integer == (long)actual, $"{path}: {actual}, expected {integer}");
                break;
            case JsonValueKind.Number:
                Assert.True(expected.GetDouble() == Convert.ToDouble(actual, System.Globalization.CultureInfo.InvariantCulture), $"{path}: {actual}, expected {expected}");
                break;
            case JsonValueKind.String:
                Assert.True(expected.GetString() == actual as string, $"{path}: {actual}, expected {expected}");
                break;
            case JsonValueKind.True or JsonValueKind.False:
                Assert.True(expected.GetBoolean().Equals(actual), $"{path}: {actual}, expected {expected}");
                break;
            case JsonValueKind.Null:
                Assert.True(actual is null, $"{path}: {actual}, expected None");
                break;
        }
    }
}
