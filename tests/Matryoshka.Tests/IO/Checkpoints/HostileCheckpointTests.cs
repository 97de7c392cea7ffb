using System.Text;
using Matryoshka.IO.Checkpoints;
using Xunit;

namespace Matryoshka.Tests.IO.Checkpoints;

public class HostileCheckpointTests
{
    /// <summary>What the fixtures' payload would create if it ran (see the fixture README).</summary>
    private const string Marker = "/tmp/pwned_marker";

    public static TheoryData<string> HostileFixtures => new() { "hostile_os_system.pth", "hostile_plain.pkl" };

    [Theory]
    [MemberData(nameof(HostileFixtures))]
    public void Fixture_calling_os_system_is_refused_naming_the_global_and_nothing_runs(string file)
    {
        File.Delete(Marker);

        var error = Assert.Throws<UnsafeCheckpointException>(() => MlMdmCheckpoint.Load(CheckpointFixtures.File(file)));

        Assert.Equal("posix.system", error.GlobalName);
        Assert.Contains("'posix.system'", error.Message);
        Assert.Equal(CheckpointFixtures.File(file), error.FilePath);
        Assert.False(File.Exists(Marker), $"{Marker} exists: the payload ran");
    }

    [Theory]
    [MemberData(nameof(HostileFixtures))]
    public void Fixture_is_refused_by_the_tensor_loader_too(string file)
    {
        File.Delete(Marker);

        var error = Assert.Throws<UnsafeCheckpointException>(() => PickleCheckpoint.LoadTensors(CheckpointFixtures.File(file)));

        Assert.Equal("posix.system", error.GlobalName);
        Assert.False(File.Exists(Marker), $"{Marker} exists: the payload ran");
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("posix", "system")]
    [InlineData("nt", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("builtins", "exec")]
    [InlineData("__builtin__", "eval")]
    [InlineData("builtins", "__import__")]
    [InlineData("subprocess", "Popen")]
    [InlineData("subprocess", "check_output")]
    [InlineData("torch", "load")]
    [InlineData("torch.serialization", "load")]
    [InlineData("torch._utils", "_rebuild_device_tensor_from_numpy")]
    [InlineData("numpy.core.multiarray", "_reconstruct")]
    [InlineData("collections", "defaultdict")]
    [InlineData("copyreg", "_reconstructor")]
    [InlineData("argparse", "ArgumentParser")]
    [InlineData("ml_mdm_evil", "x")]
    public void Any_global_outside_the_allow_list_is_refused_as_soon_as_it_is_read(string module, string name)
    {
        // The global is never even called: naming it is enough to refuse the file.
        var pickle = new PickleBuilder().Proto().EmptyDict().Str("state_dict").Global(module, name).SetItem().Stop().ToArray();

        var error = LoadZip(pickle);

        Assert.Equal($"{module}.{name}", error.GlobalName);
        Assert.Contains($"'{module}.{name}'", error.Problem);
    }

    [Fact]
    public void Stack_global_is_checked_like_global()
    {
        var pickle = new PickleBuilder().Proto(4).StackGlobal("os", "system").Str("echo hi").Tuple1().Reduce().Stop().ToArray();

        Assert.Equal("os.system", LoadZip(pickle).GlobalName);
    }

    [Fact]
    public void Protocol_0_inst_is_checked_like_global()
    {
        var pickle = new PickleBuilder().Mark().Str("echo hi").Op('i').Raw(Encoding.ASCII.GetBytes("os\nsystem\n")).Stop().ToArray();

        Assert.Equal("os.system", LoadZip(pickle).GlobalName);
    }

    [Fact]
    public void Global_with_characters_no_python_name_has_is_refused()
    {
        var pickle = new PickleBuilder().Proto().Global("ml_mdm.models", "x;rm -rf").Stop().ToArray();

        Assert.Equal("ml_mdm.models.x;rm -rf", LoadZip(pickle).GlobalName);
    }

    [Fact]
    public void Getattr_is_refused_unless_it_names_a_member_of_an_inert_class()
    {
        // getattr(collections.OrderedDict, "fromkeys"): an attribute of a real class, not an enum member.
        var pickle = new PickleBuilder().Proto()
            .Global("builtins", "getattr").Global("collections", "OrderedDict").Str("fromkeys").Tuple2().Reduce()
            .Stop().ToArray();

        var error = LoadZip(pickle);

        Assert.Equal("builtins.getattr", error.GlobalName);
        Assert.Contains("only members of ml-mdm's (inert) enum classes", error.Problem);
    }

    [Fact]
    public void Getattr_of_an_inert_class_gives_an_enum_member_and_inert_classes_give_plain_data()
    {
        var tensorKey = "0";
        var pickle = new PickleBuilder().Proto().EmptyDict()
            .Mark()
            .Str("state_dict").EmptyDict().Str("w").Tensor(tensorKey, 2).SetItem()
            .Str("kind").Global("__builtin__", "getattr").Global("samplers", "PredictionType").Str("EPSILON").Tuple2().Reduce()
            .Str("config").Global("config", "Old").EmptyTuple().NewObj().EmptyDict().Str("x").Int(7).SetItem().Build()
            .Str("cls").Global("models.unet", "UNet")
            .SetItems()
            .Stop().ToArray();
        using var folder = new TempFolder();
        var path = folder.Write("ok.pth", CheckpointZip.Build(pickle, new Dictionary<string, byte[]> { [tensorKey] = CheckpointZip.Floats(1, 2) }));

        using var checkpoint = MlMdmCheckpoint.Load(path);

        Assert.Equal(new PickledEnumMember("samplers.PredictionType", "EPSILON"), checkpoint.Metadata["kind"]);
        var config = Assert.IsType<PickledObject>(checkpoint.Metadata["config"]);
        Assert.Equal("config.Old", config.TypeName);
        Assert.Equal(7L, config["x"]);
        Assert.Equal(new PickledClassReference("models.unet.UNet"), checkpoint.Metadata["cls"]);
        Assert.Equal("Old(x=7)", config.ToString());
    }

    [Fact]
    public void Storage_class_called_directly_is_refused()
    {
        var pickle = new PickleBuilder().Proto().Global("torch", "FloatStorage").Int(10).Tuple1().Reduce().Stop().ToArray();

        Assert.Equal("torch.FloatStorage", LoadZip(pickle).GlobalName);
    }

    private static UnsafeCheckpointException LoadZip(byte[] pickle)
    {
        using var folder = new TempFolder();
        var path = folder.Write("hostile.pth", CheckpointZip.Build(pickle));
        var error = Assert.Throws<UnsafeCheckpointException>(() => MlMdmCheckpoint.Load(path));
        Assert.Equal(path, error.FilePath);
        // The same pickle as a bare file (read as a would-be legacy checkpoint) is refused the same way.
        var plain = folder.Write("hostile.pkl", pickle);
        var plainError = Assert.Throws<UnsafeCheckpointException>(() => PickleCheckpoint.LoadTensors(plain));
        Assert.Equal(error.GlobalName, plainError.GlobalName);
        return error;
    }
}
