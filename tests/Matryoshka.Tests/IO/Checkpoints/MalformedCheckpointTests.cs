using Matryoshka.IO.Checkpoints;
using Xunit;

namespace Matryoshka.Tests.IO.Checkpoints;

public class MalformedCheckpointTests
{
    private static readonly long[] One = [1];

    /// <summary>A zip checkpoint <c>{'state_dict': {'w': tensor}}</c> with the given tensor and storages.</summary>
    private static byte[] StateDictZip(Action<PickleBuilder> tensor, Dictionary<string, byte[]> storages, string? byteOrder = "little")
    {
        var builder = new PickleBuilder().Proto().EmptyDict().Str("state_dict").EmptyDict().Str("w");
        tensor(builder);
        return CheckpointZip.Build(builder.SetItem().SetItem().Stop().ToArray(), storages, byteOrder);
    }

    private static Dictionary<string, byte[]> FourFloats => new() { ["0"] = CheckpointZip.Floats(1, 2, 3, 4) };

    public static TheoryData<string, byte[], string> Cases => new()
    {
        { "storage entry too short", StateDictZip(p => p.Tensor("0", 4, 0, [4], One), new() { ["0"] = new byte[12] }),
            "storage '0' (4 × Float32) needs 16 bytes but its zip entry holds 12" },
        { "storage entry too long", StateDictZip(p => p.Tensor("0", 4, 0, [4], One), new() { ["0"] = new byte[20] }),
            "needs 16 bytes but its zip entry holds 20" },
        { "storage entry missing", StateDictZip(p => p.Tensor("0", 4, 0, [4], One), []), "storage '0' has no zip entry 'data/0'" },
        { "negative size", StateDictZip(p => p.Tensor("0", 4, 0, [-1], One), FourFloats), "tensor size[0] is negative (-1)" },
        { "negative stride", StateDictZip(p => p.Tensor("0", 4, 0, [2], [-1]), FourFloats), "tensor stride[0] is negative (-1)" },
        { "negative offset", StateDictZip(p => p.Tensor("0", 4, -1, [2], One), FourFloats), "tensor storage offset is negative (-1)" },
        { "element count overflow", StateDictZip(p => p.Tensor("0", 4, 0, [1L << 40, 1L << 40], [1, 1]), FourFloats), "overflows 64-bit arithmetic" },
        { "extent overflow", StateDictZip(p => p.Tensor("0", 4, 0, [2, 2], [long.MaxValue, 1]), FourFloats), "overflows 64-bit arithmetic" },
        { "size past the storage", StateDictZip(p => p.Tensor("0", 4, 0, [5], One), FourFloats), "reaches element 4, past the end of its storage (4 elements)" },
        { "offset past the storage", StateDictZip(p => p.Tensor("0", 4, 3, [2], One), FourFloats), "reaches element 4, past the end of its storage" },
        { "stride past the storage", StateDictZip(p => p.Tensor("0", 4, 0, [2, 2], [3, 1]), FourFloats), "reaches element 4" },
        { "empty tensor offset past the storage", StateDictZip(p => p.Tensor("0", 4, 5, [0], One), FourFloats), "empty tensor's storage offset 5 is past the end" },
        { "expanded layout", StateDictZip(p => p.Tensor("0", 4, 0, [100], [0]), FourFloats), "tensor has 100 elements, more than its storage's 4" },
        { "size and stride lengths differ", StateDictZip(p => p.Tensor("0", 4, 0, [2, 2], One), FourFloats), "size has 2 dimensions but its stride has 1" },
        { "too many dimensions", StateDictZip(p => p.Tensor("0", 4, 0, new long[65], new long[65]), FourFloats), "65 dimensions, more than the 64 supported" },
        { "negative element count", StateDictZip(p => p.Tensor("0", -1, 0, [1], One), FourFloats), "storage '0' element count -1 is not a non-negative int" },
        { "byte count overflow", StateDictZip(p => p.Tensor("0", 1L << 62, 0, [1], One), FourFloats), "storage '0' of 4611686018427387904 elements overflows" },
        { "storage key with a path", StateDictZip(p => p.Tensor("../0", 4, 0, [4], One), FourFloats), "storage key '../0' is not a plain name" },
        { "big-endian byteorder", StateDictZip(p => p.Tensor("0", 4), FourFloats, byteOrder: "big"), "only little-endian checkpoints are supported" },
        { "bool byte other than 0 or 1", StateDictZip(p => p.Tensor("0", 2, 0, [2], One, "BoolStorage"), new() { ["0"] = [1, 2] }),
            "bool element 1 holds byte 2" },
        { "storage reused with another type", CheckpointZip.Build(new PickleBuilder().Proto().EmptyDict()
                .Str("a").Tensor("0", 4, 0, [4], One).SetItem()
                .Str("b").Tensor("0", 2, 0, [2], One, "LongStorage").SetItem().Stop().ToArray(), FourFloats),
            "storage '0' is referenced as 2 × Int64 after 4 × Float32" },
        { "no data.pkl", CheckpointZip.Rewrite([("archive/other", [1])], (_, b) => b), "the zip archive has no 'archive/data.pkl'" },
        { "entries outside a folder", CheckpointZip.Rewrite([("data.pkl", [(byte)'.'])], (_, b) => b), "is not inside a top-level folder" },
        { "empty zip", CheckpointZip.Rewrite([], (_, b) => b), "the zip archive is empty" },
        { "top level not a dict", CheckpointZip.Build(new PickleBuilder().Proto().EmptyList().Stop().ToArray()), "the checkpoint holds a list, not a dict" },
        { "state_dict not a dict", CheckpointZip.Build(new PickleBuilder().Proto().EmptyDict().Str("state_dict").Int(1).SetItem().Stop().ToArray()),
            "'state_dict' is a int, not a dict of tensors" },
        { "state_dict value not a tensor", CheckpointZip.Build(new PickleBuilder().Proto().EmptyDict().Str("state_dict").EmptyDict()
                .Str("w").Float(1).SetItem().SetItem().Stop().ToArray()), "entry 'w' is a float, not a tensor" },
        { "state_dict key not a str", CheckpointZip.Build(new PickleBuilder().Proto().EmptyDict().Str("state_dict").EmptyDict()
                .Int(1).Tensor("0", 4).SetItem().SetItem().Stop().ToArray(), FourFloats), "has a key of type int" },
        { "tensor from a non-storage", CheckpointZip.Build(new PickleBuilder().Proto().Global("torch._utils", "_rebuild_tensor_v2")
                .Mark().None().Int(0).IntTuple(1).IntTuple(1).Bool(false).None().Tuple().Reduce().Stop().ToArray()),
            "tensor rebuilt from a None instead of a storage" },
        { "rebuild with wrong arity", CheckpointZip.Build(new PickleBuilder().Proto().Global("torch._utils", "_rebuild_tensor_v2")
                .EmptyTuple().Reduce().Stop().ToArray()), "called with 0 arguments; expected 6 or 7" },
        { "persistent id with 4 items", CheckpointZip.Build(new PickleBuilder().Proto().Mark().Str("storage").Global("torch", "FloatStorage")
                .Str("0").Str("cpu").Tuple().BinPersId().Stop().ToArray()), "storage reference has 4 items; expected 5" },
        { "unsupported storage type", StateDictZip(p => p.Tensor("0", 2, 0, [2], One, "ComplexFloatStorage"), FourFloats),
            "storage type 'torch.ComplexFloatStorage' is not supported (supported: FloatStorage, " },
        { "persistent id of another kind", CheckpointZip.Build(new PickleBuilder().Proto().Mark().Str("module").Tuple().BinPersId().Stop().ToArray()),
            "persistent id of type 'module' is not supported" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Malformed_zip_checkpoint_is_refused_with_the_problem_named(string name, byte[] file, string fragment)
    {
        using var folder = new TempFolder();
        var path = folder.Write("bad.pth", file);

        var error = Assert.Throws<CheckpointFormatException>(() => MlMdmCheckpoint.Load(path));

        Assert.True(error.Problem.Contains(fragment, StringComparison.Ordinal), $"{name}: '{error.Problem}' does not mention '{fragment}'");
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void Tensors_that_copy_far_more_than_their_storages_are_refused()
    {
        var builder = new PickleBuilder().Proto().EmptyDict().Mark();
        for (var i = 0; i < 10; i++)
        {
            builder.Str($"t{i}").Tensor("0", 4, 1, [3], One); // each copies 3 of the 4 elements
        }
        using var folder = new TempFolder();
        var path = folder.Write("views.pth", CheckpointZip.Build(builder.SetItems().Stop().ToArray(), FourFloats));

        var error = Assert.Throws<CheckpointFormatException>(() => PickleCheckpoint.LoadTensors(path));

        Assert.Contains("the tensors copy more than 4 times the bytes of their storages", error.Problem);
    }

    [Fact]
    public void Pickle_larger_than_the_configured_maximum_is_refused_before_reading_it()
    {
        using var folder = new TempFolder();
        var path = folder.Write("big.pth", CheckpointZip.Build(new PickleBuilder().Proto().EmptyDict().Stop().ToArray()));

        var error = Assert.Throws<CheckpointFormatException>(() => MlMdmCheckpoint.Load(path, new CheckpointReadOptions { MaxPickleBytes = 3 }));

        Assert.Contains("'archive/data.pkl' is 4 bytes, more than the 3 allowed", error.Problem);
    }

    [Fact]
    public void File_that_is_neither_zip_nor_legacy_is_refused()
    {
        using var folder = new TempFolder();
        var text = folder.Write("notes.pth", "hello world"u8.ToArray());
        var empty = folder.Write("empty.pth", []);
        var pickle = folder.Write("plain.pkl", new PickleBuilder().Proto().EmptyDict().Stop().ToArray());

        Assert.Contains("not a PyTorch checkpoint", Assert.Throws<CheckpointFormatException>(() => MlMdmCheckpoint.Load(text)).Problem);
        Assert.Contains("not a PyTorch checkpoint", Assert.Throws<CheckpointFormatException>(() => MlMdmCheckpoint.Load(empty)).Problem);
        Assert.Contains("its first pickle is not torch's magic number", Assert.Throws<CheckpointFormatException>(() => MlMdmCheckpoint.Load(pickle)).Problem);
    }

    [Fact]
    public void Zip_truncated_anywhere_is_refused()
    {
        var bytes = File.ReadAllBytes(CheckpointFixtures.Zip);
        using var folder = new TempFolder();
        var cuts = Enumerable.Range(0, 40).Select(i => (long)bytes.Length * i / 40)
            .Concat([1, 3, 4, 100, bytes.Length - 1, bytes.Length - 22, bytes.Length - 100, bytes.Length - 5000]);

        foreach (var cut in cuts.Distinct())
        {
            var path = folder.Write("cut.pth", bytes[..(int)cut]);
            var error = Record.Exception(() => MlMdmCheckpoint.Load(path));
            Assert.True(error is CheckpointFormatException and not UnsafeCheckpointException,
                $"cut at {cut}: {error?.GetType().Name ?? "no exception"}: {error?.Message}");
        }
    }

    [Fact]
    public void Zip_whose_data_pkl_is_truncated_is_refused()
    {
        var entries = CheckpointZip.Entries(CheckpointFixtures.Zip);
        var pickleLength = entries.Single(e => e.Name.EndsWith("/data.pkl", StringComparison.Ordinal)).Bytes.Length;
        using var folder = new TempFolder();

        foreach (var cut in new[] { 0, 1, 2, 50, 500, 5000, 20000, 39000, 39200, 40000, 41000, pickleLength - 2, pickleLength - 1 })
        {
            var path = folder.Write("cut.pth", CheckpointZip.Rewrite(entries,
                (name, data) => name.EndsWith("/data.pkl", StringComparison.Ordinal) ? data[..cut] : data));
            var error = Assert.Throws<CheckpointFormatException>(() => MlMdmCheckpoint.Load(path));
            Assert.Contains("data.pkl", error.Problem);
        }
    }

    [Fact]
    public void Data_pkl_cut_at_thousands_of_points_is_refused_by_the_pickle_reader()
    {
        var pickle = CheckpointZip.Entries(CheckpointFixtures.Zip).Single(e => e.Name.EndsWith("/data.pkl", StringComparison.Ordinal)).Bytes;
        // Every cut in the first 1,000 bytes (the first tensors: every opcode torch uses for them) and
        // the last 1,000 (the config objects and enums), every 37th in between.
        var cuts = Enumerable.Range(0, pickle.Length).Where(c => c < 1000 || c > pickle.Length - 1000 || c % 37 == 0);

        foreach (var cut in cuts)
        {
            var error = Record.Exception(() => Unpickle.Raw(pickle[..cut]));
            Assert.True(error is CheckpointFormatException { Problem: var problem } && problem.Contains("truncated", StringComparison.Ordinal),
                $"cut at {cut}: {error?.GetType().Name ?? "no exception"}: {error?.Message}");
        }
    }

    [Fact]
    public void Legacy_file_truncated_anywhere_is_refused()
    {
        var bytes = File.ReadAllBytes(CheckpointFixtures.Legacy);
        using var folder = new TempFolder();
        // The pickles fill the first ~48 KB; the storages follow.
        var cuts = Enumerable.Range(0, 100).Select(i => 480 * i)
            .Concat(Enumerable.Range(1, 30).Select(i => bytes.Length * i / 31))
            .Concat([1, 14, 15, 20, 21, 136, 137, 43809, 43810, 47641, 47642, 47650, bytes.Length - 1]);

        foreach (var cut in cuts.Distinct())
        {
            var path = folder.Write("cut.pth", bytes[..cut]);
            var error = Record.Exception(() => MlMdmCheckpoint.Load(path));
            Assert.True(error is CheckpointFormatException and not UnsafeCheckpointException,
                $"cut at {cut}: {error?.GetType().Name ?? "no exception"}: {error?.Message}");
        }
    }

    [Fact]
    public void Legacy_storage_whose_count_disagrees_with_the_pickle_is_refused()
    {
        var bytes = File.ReadAllBytes(CheckpointFixtures.Legacy);
        bytes[47642] ^= 0x01; // the first storage's element count (32 → 33)
        using var folder = new TempFolder();
        var path = folder.Write("count.pth", bytes);

        var error = Assert.Throws<CheckpointFormatException>(() => MlMdmCheckpoint.Load(path));

        Assert.Contains("holds 33 elements but the pickle says 32", error.Problem);
    }

    [Fact]
    public void Legacy_file_with_another_protocol_version_is_refused()
    {
        var bytes = File.ReadAllBytes(CheckpointFixtures.Legacy);
        bytes[19] = 0x04; // BININT2 1001 (0x03e9) → 0x04e9
        using var folder = new TempFolder();
        var path = folder.Write("version.pth", bytes);

        var error = Assert.Throws<CheckpointFormatException>(() => MlMdmCheckpoint.Load(path));

        Assert.Contains("legacy protocol version is 1257; only 1001 is supported", error.Problem);
    }
}
