using System.Diagnostics;
using Matryoshka.IO.Checkpoints;
using Xunit;

namespace Matryoshka.Tests.IO.Checkpoints;

/// <summary>
/// Seeded random corruption of the real checkpoints: every outcome must be a successful load or a
/// <see cref="CheckpointFormatException"/>, quickly — never another exception type, a crash or a hang.
/// </summary>
public class CheckpointFuzzTests
{
    private static readonly TimeSpan PerCaseLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public void Corrupted_data_pkl_is_read_or_refused_with_the_typed_exception()
    {
        var pickle = DataPkl();
        var random = new Random(20251126);

        for (var run = 0; run < 500; run++)
        {
            var mutated = Mutate(pickle, random, out var description);
            AssertReadOrRefused(() =>
            {
                var root = Unpickle.Raw(mutated);
                var selection = StateDictSelection.From(root, Unpickle.FilePath);
                new PublicValueConverter(Unpickle.FilePath, 200).Dict(selection.OtherEntries, 0);
            }, $"run {run}: {description}");
        }
    }

    [Fact]
    public void Corrupted_zip_checkpoint_is_loaded_or_refused_with_the_typed_exception()
    {
        var entries = CheckpointZip.Entries(CheckpointFixtures.Zip);
        var random = new Random(1234);
        using var folder = new TempFolder();

        for (var run = 0; run < 60; run++)
        {
            string description = "";
            var bytes = CheckpointZip.Rewrite(entries,
                (name, data) => name.EndsWith("/data.pkl", StringComparison.Ordinal) ? Mutate(data, random, out description) : data);
            var path = folder.Write("fuzz.pth", bytes);
            AssertReadOrRefused(() => MlMdmCheckpoint.Load(path).Dispose(), $"run {run}: {description}");
        }
    }

    [Fact]
    public void Corrupted_zip_structure_is_loaded_or_refused_with_the_typed_exception()
    {
        var original = File.ReadAllBytes(CheckpointFixtures.Zip);
        var random = new Random(99);
        using var folder = new TempFolder();

        for (var run = 0; run < 60; run++)
        {
            // Anywhere in the file (headers, pickle, storage bytes), or in the central directory at its end.
            var tail = original.Length - 25_000;
            var mutated = run % 2 == 0
                ? Mutate(original, random, out var description)
                : [.. original[..tail], .. Mutate(original[tail..], random, out description)];
            var path = folder.Write("fuzz.pth", mutated);
            AssertReadOrRefused(() => MlMdmCheckpoint.Load(path).Dispose(), $"run {run}: {description}");
        }
    }

    [Fact]
    public void Corrupted_legacy_checkpoint_is_loaded_or_refused_with_the_typed_exception()
    {
        var original = File.ReadAllBytes(CheckpointFixtures.Legacy);
        var random = new Random(4321);
        using var folder = new TempFolder();

        for (var run = 0; run < 60; run++)
        {
            // The pickles and the first storage headers: the bytes that steer the reader.
            var head = Mutate(original[..48_000], random, out var description);
            var path = folder.Write("fuzz.pth", [.. head, .. original[48_000..]]);
            AssertReadOrRefused(() => MlMdmCheckpoint.Load(path).Dispose(), $"run {run}: {description}");
        }
    }

    private static void AssertReadOrRefused(Action load, string description)
    {
        var clock = Stopwatch.StartNew();
        var error = Record.Exception(load);
        Assert.True(error is null or CheckpointFormatException, $"{description}: {error}");
        Assert.True(clock.Elapsed < PerCaseLimit, $"{description}: took {clock.Elapsed}");
    }

    /// <summary>Overwrites 1 to 4 random bytes with random values, or with values that make lengths huge.</summary>
    private static byte[] Mutate(byte[] original, Random random, out string description)
    {
        var bytes = (byte[])original.Clone();
        var changes = new List<string>();
        for (var i = random.Next(1, 5); i > 0; i--)
        {
            var at = random.Next(bytes.Length);
            var value = random.Next(3) == 0 ? (byte)0xff : (byte)random.Next(256);
            changes.Add($"[{at}] {bytes[at]:x2}→{value:x2}");
            bytes[at] = value;
        }
        description = string.Join(", ", changes);
        return bytes;
    }

    private static byte[] DataPkl() =>
        CheckpointZip.Entries(CheckpointFixtures.Zip).Single(e => e.Name.EndsWith("/data.pkl", StringComparison.Ordinal)).Bytes;
}
