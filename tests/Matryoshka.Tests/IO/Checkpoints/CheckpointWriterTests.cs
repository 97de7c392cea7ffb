using Matryoshka.Training.Checkpoints;
using Matryoshka.IO.Weights;
using Matryoshka.Interop.MlMdm;
using System.Buffers.Binary;
using System.IO.Compression;
using Matryoshka.IO.Checkpoints;
using TorchSharp;
using Xunit;

namespace Matryoshka.Tests.IO.Checkpoints;

/// <summary><see cref="PickleCheckpoint.Save"/>: what torch.save writes, read back bit for bit by our restricted reader.</summary>
public class CheckpointWriterTests
{
    /// <summary>One tensor of every storage type, odd shapes included (scalar, empty, 5-d), with awkward values.</summary>
    internal static List<KeyValuePair<string, torch.Tensor>> EveryDType()
    {
        var generator = new torch.Generator(seed: 25);
        var values = torch.randn(new long[] { 2, 3, 4 }, generator: generator) * 1e3;
        values[0, 0, 0] = float.NaN;
        values[0, 0, 1] = float.NegativeInfinity;
        values[0, 0, 2] = -0f;
        return
        [
            new("f32", values.clone()),
            new("bf16", values.to(torch.ScalarType.BFloat16)),
            new("f16", values.to(torch.ScalarType.Float16)),
            new("f64", values.to(torch.ScalarType.Float64)),
            new("scalar", torch.tensor(3.5f)),
            new("empty", torch.zeros(new long[] { 0, 3 })),
            new("five_d", torch.randn(new long[] { 1, 2, 1, 3, 2 }, generator: generator)),
            new("i64", torch.tensor(new[] { long.MinValue, -1, 0, long.MaxValue })),
            new("i32", torch.tensor(new[] { int.MinValue, 7 })),
            new("i16", torch.tensor(new short[] { short.MinValue, 9 })),
            new("i8", torch.tensor(new sbyte[] { -128, 127 })),
            new("u8", torch.tensor(new byte[] { 0, 255 })),
            new("flags", torch.tensor(new[] { true, false, true })),
        ];
    }

    [Fact]
    public void Every_dtype_round_trips_bit_for_bit_in_order_with_its_items()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var tensors = EveryDType();
        var path = folder.File("every.pth");

        PickleCheckpoint.Save(path, tensors, [new("batch_num", 5_000_000_000L), new("small", 7), new("negative", -70_000L), new("name", "ünï"), new("ok", true)]);

        using var loaded = MlMdmCheckpoint.Load(path);
        Assert.Equal(CheckpointFormat.Zip, loaded.Format);
        Assert.Equal(tensors.Select(p => p.Key), loaded.StateDict.Keys);
        foreach (var (name, tensor) in tensors) MlMdmCheckpointTests.AssertIdentical(tensor, loaded.StateDict[name], name);
        Assert.Equal(5_000_000_000L, loaded.BatchNumber);
        Assert.Equal(new object?[] { 5_000_000_000L, 7L, -70_000L, "ünï", true }, loaded.Metadata.Values);
    }

    [Fact]
    public void The_archive_is_laid_out_as_torch_save_lays_it_out()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("layout.pth");
        var tensors = Enumerable.Range(0, 12).Select(i => KeyValuePair.Create($"t{i}", torch.full(i + 1, (float)i))).ToList();

        PickleCheckpoint.Save(path, tensors);

        var bytes = File.ReadAllBytes(path);
        using var archive = ZipFile.OpenRead(path);
        var storageKeys = Enumerable.Range(0, 12).Select(i => i.ToString()).Order(StringComparer.Ordinal).Select(k => "archive/data/" + k);
        Assert.Equal(["archive/data.pkl", "archive/byteorder", .. storageKeys, "archive/version"], archive.Entries.Select(e => e.FullName));
        foreach (var entry in archive.Entries)
        {
            Assert.Equal(entry.Length, entry.CompressedLength); // stored, as torch stores them
            using var stream = entry.Open();
            var content = new MemoryStream();
            stream.CopyTo(content); // .NET checks each entry's CRC-32 as it reads to the end
            Assert.Equal(entry.Length, content.Length);
        }
        Assert.Equal("little", Text(archive, "archive/byteorder"));
        Assert.Equal("3\n", Text(archive, "archive/version"));
        // Every entry's data starts on a multiple of 64 (the local header's name and extra field lengths say where).
        for (int offset = 0; BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)) == 0x04034b50;)
        {
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 26));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 28));
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 22));
            var data = offset + 30 + nameLength + extraLength;
            Assert.Equal(0, data % 64);
            Assert.Equal("FB"u8.ToArray(), bytes[(offset + 30 + nameLength)..(offset + 32 + nameLength)]);
            offset = data + (int)size;
        }
    }

    [Fact]
    public void A_float_item_is_refused_because_the_safe_loader_of_torch_1_13_cannot_read_it()
    {
        using var folder = new TempFolder();
        using var tensor = torch.ones(2);
        var path = folder.File("float.pth");

        var error = Assert.Throws<ArgumentException>(() => PickleCheckpoint.Save(path, [new("w", tensor)], [new("loss", 0.5)]));

        Assert.Contains("'loss' is a Double", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Cancelling_leaves_no_file_and_progress_counts_every_tensor()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var tensors = Enumerable.Range(0, 4).Select(i => KeyValuePair.Create($"t{i}", torch.ones(8))).ToList();
        var reports = new List<CheckpointWriteProgress>();
        using var cancel = new CancellationTokenSource();
        var progress = new Reporter(p =>
        {
            reports.Add(p);
            if (p.TensorsWritten == 2) cancel.Cancel();
        });

        Assert.Throws<OperationCanceledException>(() => PickleCheckpoint.Save(folder.File("x.pth"), tensors, progress: progress, cancellationToken: cancel.Token));

        Assert.Equal([new(1, 4, 32, 128), new(2, 4, 64, 128)], reports);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    private sealed class Reporter(Action<CheckpointWriteProgress> report) : IProgress<CheckpointWriteProgress>
    {
        public void Report(CheckpointWriteProgress value) => report(value);
    }

    private static string Text(ZipArchive archive, string name)
    {
        using var reader = new StreamReader(archive.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
