using System.IO.Compression;
using Matryoshka.IO.Checkpoints;
using TorchSharp;
using Xunit;

namespace Matryoshka.Tests.IO.Checkpoints;

public class CheckpointTensorTests
{
    [Fact]
    public void Views_of_one_storage_keep_their_offset_size_and_stride()
    {
        var values = Enumerable.Range(0, 12).Select(i => (float)i).ToArray();
        var pickle = new PickleBuilder().Proto().EmptyDict().Mark()
            .Str("matrix").Tensor("0", 12, 0, [3, 4], [4, 1])
            .Str("transposed").Tensor("0", 12, 0, [4, 3], [1, 4])
            .Str("strided").Tensor("0", 12, 5, [2], [3])
            .Str("scalar").Tensor("0", 12, 7, [], [])
            .Str("empty").Tensor("0", 12, 12, [0, 3], [3, 1])
            .SetItems().Stop().ToArray();
        using var scope = torch.NewDisposeScope();

        var tensors = LoadZip(pickle, new() { ["0"] = CheckpointZip.Floats(values) });

        Assert.Equal(["matrix", "transposed", "strided", "scalar", "empty"], tensors.Keys);
        Assert.Equal(values, tensors["matrix"].data<float>().ToArray());
        Assert.Equal(new long[] { 3, 4 }, tensors["matrix"].shape);
        Assert.Equal(new float[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }, tensors["transposed"].data<float>().ToArray());
        Assert.True(tensors["transposed"].is_contiguous());
        Assert.Equal(new float[] { 5, 8 }, tensors["strided"].data<float>().ToArray());
        Assert.Empty(tensors["scalar"].shape);
        Assert.Equal(7f, tensors["scalar"].item<float>());
        Assert.Equal(new long[] { 0, 3 }, tensors["empty"].shape);
    }

    [Fact]
    public void A_partial_view_is_a_copy_and_a_whole_storage_is_shared_by_the_tensors_that_cover_it()
    {
        var pickle = new PickleBuilder().Proto().EmptyDict().Mark()
            .Str("tied.a").Tensor("0", 4)
            .Str("tied.b").Tensor("0", 4)
            .Str("part").Tensor("0", 4, 1, [2], [1])
            .SetItems().Stop().ToArray();
        using var scope = torch.NewDisposeScope();

        var tensors = LoadZip(pickle, new() { ["0"] = CheckpointZip.Floats(1, 2, 3, 4) });
        tensors["tied.a"].add_(10);

        // Like torch.load: tensors saved from one storage (tied weights) still share it.
        Assert.Equal(new float[] { 11, 12, 13, 14 }, tensors["tied.b"].data<float>().ToArray());
        Assert.Equal(new float[] { 2, 3 }, tensors["part"].data<float>().ToArray());
    }

    public static TheoryData<string, torch.ScalarType, byte[]> StorageTypes => new()
    {
        { "DoubleStorage", torch.ScalarType.Float64, BitConverter.GetBytes(1.5) },
        { "HalfStorage", torch.ScalarType.Float16, [0x00, 0x3e] },
        { "BFloat16Storage", torch.ScalarType.BFloat16, [0xc0, 0x3f] },
        { "LongStorage", torch.ScalarType.Int64, BitConverter.GetBytes(-7L) },
        { "IntStorage", torch.ScalarType.Int32, BitConverter.GetBytes(-7) },
        { "ShortStorage", torch.ScalarType.Int16, BitConverter.GetBytes((short)-7) },
        { "CharStorage", torch.ScalarType.Int8, [0xf9] },
        { "ByteStorage", torch.ScalarType.Byte, [0xf9] },
        { "BoolStorage", torch.ScalarType.Bool, [1] },
    };

    [Theory]
    [MemberData(nameof(StorageTypes))]
    public void Every_storage_type_gives_its_dtype_and_bytes(string storageType, torch.ScalarType dtype, byte[] bytes)
    {
        var pickle = new PickleBuilder().Proto().EmptyDict().Str("t").Tensor("0", 1, 0, [1], [1], storageType).SetItem().Stop().ToArray();
        using var scope = torch.NewDisposeScope();

        var tensor = LoadZip(pickle, new() { ["0"] = bytes })["t"];

        Assert.Equal(dtype, tensor.dtype);
        Assert.Equal(bytes, tensor.bytes.ToArray());
    }

    [Fact]
    public void Parameters_are_loaded_as_their_data()
    {
        var pickle = new PickleBuilder().Proto().EmptyDict().Str("p")
            .Global("torch._utils", "_rebuild_parameter").Tensor("0", 2).Bool(true).Global("collections", "OrderedDict").EmptyTuple().Reduce().Tuple3().Reduce()
            .SetItem().Stop().ToArray();
        using var scope = torch.NewDisposeScope();

        var tensor = LoadZip(pickle, new() { ["0"] = CheckpointZip.Floats(1, 2) })["p"];

        Assert.Equal(new float[] { 1, 2 }, tensor.data<float>().ToArray());
    }

    [Fact]
    public void Deflated_zip_entries_load_the_same_tensors()
    {
        using var folder = new TempFolder();
        var deflated = folder.File("deflated.pth");
        using (var zip = ZipFile.Open(deflated, ZipArchiveMode.Create))
        {
            foreach (var (name, bytes) in CheckpointZip.Entries(CheckpointFixtures.Zip))
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(bytes);
            }
        }
        using var scope = torch.NewDisposeScope();

        var expected = PickleCheckpoint.LoadTensors(CheckpointFixtures.Zip);
        var actual = PickleCheckpoint.LoadTensors(deflated);

        Assert.True(new FileInfo(deflated).Length < new FileInfo(CheckpointFixtures.Zip).Length);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, tensor) in expected)
        {
            MlMdmCheckpointTests.AssertIdentical(tensor, actual[name], name);
        }
    }

    [Fact]
    public void Plain_state_dict_file_loads_with_empty_metadata()
    {
        var pickle = new PickleBuilder().Proto()
            .Global("collections", "OrderedDict").EmptyTuple().Reduce()
            .Mark().Str("a.weight").Tensor("0", 2).Str("a.bias").Tensor("1", 1).SetItems()
            .EmptyDict().Str("_metadata").Global("collections", "OrderedDict").EmptyTuple().Reduce().SetItem().Build()
            .Stop().ToArray();
        using var folder = new TempFolder();
        var path = folder.Write("plain.pth", CheckpointZip.Build(pickle,
            new Dictionary<string, byte[]> { ["0"] = CheckpointZip.Floats(1, 2), ["1"] = CheckpointZip.Floats(3) }));

        using var checkpoint = MlMdmCheckpoint.Load(path);

        Assert.Equal(["a.weight", "a.bias"], checkpoint.StateDict.Keys);
        Assert.Empty(checkpoint.Metadata);
        Assert.Null(checkpoint.BatchNumber);
        Assert.Null(checkpoint.Args);
    }

    [Fact]
    public void Tensors_outside_the_state_dict_appear_in_metadata_as_placeholders()
    {
        var pickle = new PickleBuilder().Proto().EmptyDict().Mark()
            .Str("state_dict").EmptyDict()
            .Str("ema").Tensor("0", 2, 0, [2], [1])
            .SetItems().Stop().ToArray();
        using var folder = new TempFolder();
        var path = folder.Write("extra.pth", CheckpointZip.Build(pickle, new Dictionary<string, byte[]> { ["0"] = CheckpointZip.Floats(1, 2) }));

        using var checkpoint = MlMdmCheckpoint.Load(path);

        Assert.Empty(checkpoint.StateDict);
        Assert.Equal(new TensorPlaceholder(torch.ScalarType.Float32, [2]).ToString(), checkpoint.Metadata["ema"]!.ToString());
    }

    private static OrderedDictionary<string, torch.Tensor> LoadZip(byte[] pickle, Dictionary<string, byte[]> storages)
    {
        using var folder = new TempFolder();
        var path = folder.Write("t.pth", CheckpointZip.Build(pickle, storages));
        return PickleCheckpoint.LoadTensors(path);
    }
}
