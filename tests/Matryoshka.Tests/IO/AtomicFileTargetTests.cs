using Matryoshka.IO;
using Matryoshka.Training.Checkpoints;
using Matryoshka.Tests.IO.Checkpoints;
using Xunit;

namespace Matryoshka.Tests.IO;

public class AtomicFileTargetTests
{
    private static void WriteHello(string path) => AtomicFile.Write(path, stream => stream.Write("hello"u8));

    [Fact]
    public void Replaces_a_regular_file_and_creates_a_missing_one()
    {
        using var folder = new TempFolder();
        var existing = folder.Write("a.bin", [1, 2, 3]);
        WriteHello(existing);
        WriteHello(folder.File("b.bin"));
        Assert.Equal("hello"u8.ToArray(), File.ReadAllBytes(existing));
        Assert.Equal("hello"u8.ToArray(), File.ReadAllBytes(folder.File("b.bin")));
    }

    [Fact]
    public void Refuses_a_fifo_naming_it_and_leaves_it_in_place()
    {
        using var folder = new TempFolder();
        var fifo = SpecialFiles.Fifo(folder.File("pipe"));
        var refused = Assert.Throws<OutputPathException>(() => WriteHello(fifo));
        Assert.Equal((fifo, "FIFO"), (refused.Path, refused.Kind));
        Assert.Contains(fifo, refused.Message);
        Assert.Equal("FIFO", FileKinds.NonRegularKind(fifo));
        Assert.Equal(["pipe"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Refuses_a_character_device()
    {
        if (!OperatingSystem.IsLinux()) return; // device types come from statx on Linux
        var refused = Assert.Throws<OutputPathException>(() => WriteHello("/dev/null"));
        Assert.Equal("character device", refused.Kind);
    }

    [Fact]
    public void Refuses_a_symbolic_link_and_leaves_link_and_target_unchanged()
    {
        using var folder = new TempFolder();
        var target = folder.Write("target.bin", [7]);
        var link = folder.File("link.bin");
        File.CreateSymbolicLink(link, target);
        Assert.Equal("symbolic link", Assert.Throws<OutputPathException>(() => WriteHello(link)).Kind);
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal([7], File.ReadAllBytes(target));
    }

    [Fact]
    public void Refuses_a_directory()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("out"));
        Assert.Equal("directory", Assert.Throws<OutputPathException>(() => WriteHello(folder.File("out"))).Kind);
        Assert.True(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public void Conversion_refuses_a_fifo_before_reading_anything()
    {
        using var folder = new TempFolder();
        var fifo = SpecialFiles.Fifo(folder.File("out.safetensors"));
        Assert.Throws<OutputPathException>(() => SafetensorsConversion.Convert(CheckpointFixtures.Zip, fifo));
        Assert.Equal("FIFO", FileKinds.NonRegularKind(fifo));
    }
}
