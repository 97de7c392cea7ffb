using System.Diagnostics;
using Matryoshka.IO;
using Xunit;

namespace Matryoshka.Tests.IO;

public class SafetensorsMalformedTests
{
    [Theory]
    [MemberData(nameof(MalformedSafetensorsCases.Names), MemberType = typeof(MalformedSafetensorsCases))]
    public void Malformed_file_is_refused_with_a_message_naming_the_problem(string caseName)
    {
        using var folder = new TempFolder();
        var path = folder.Write("broken.safetensors", MalformedSafetensorsCases.Bytes(caseName));

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsReader.ReadHeader(path));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(MalformedSafetensorsCases.ExpectedFragment(caseName), error.Problem);
    }

    [Theory]
    [MemberData(nameof(MalformedSafetensorsCases.Names), MemberType = typeof(MalformedSafetensorsCases))]
    public void Malformed_file_is_refused_by_load_too(string caseName)
    {
        using var folder = new TempFolder();
        var path = folder.Write("broken.safetensors", MalformedSafetensorsCases.Bytes(caseName));

        Assert.Throws<SafetensorsFormatException>(() => SafetensorsReader.Load(path));
    }

    [Fact]
    public void Huge_claimed_header_is_refused_quickly_without_allocating_for_it()
    {
        using var folder = new TempFolder();
        var path = folder.Write("huge.safetensors", MalformedSafetensorsCases.Bytes("header length 2^62"));
        var warmUp = folder.Write("warm.safetensors", MalformedSafetensorsCases.Bytes("header length past end of file"));
        Assert.Throws<SafetensorsFormatException>(() => SafetensorsReader.ReadHeader(warmUp));

        var clock = Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<SafetensorsFormatException>(() => SafetensorsReader.ReadHeader(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Header_larger_than_the_configured_maximum_is_refused()
    {
        var bytes = SafetensorsBytes.Build("{}      ", 0);
        using var stream = new MemoryStream(bytes);

        var error = Assert.Throws<SafetensorsFormatException>(
            () => SafetensorsReader.ReadHeader(stream, new SafetensorsReadOptions { MaxHeaderBytes = 4 }));

        Assert.Contains("header length 8 exceeds the maximum header size of 4 bytes", error.Problem);
        Assert.Equal("<stream>", error.FilePath);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData((long)int.MaxValue + 1)]
    public void Read_options_refuse_a_maximum_header_size_out_of_range(long maximum)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SafetensorsReadOptions { MaxHeaderBytes = maximum });
    }

    [Fact]
    public void Bool_tensor_with_a_byte_other_than_0_or_1_is_refused_on_load()
    {
        var bytes = SafetensorsBytes.Build("{\"flags\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}", 3);
        bytes[^1] = 2;
        using var folder = new TempFolder();
        var path = folder.Write("bool.safetensors", bytes);

        SafetensorsReader.ReadHeader(path); // the header itself is fine
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsReader.Load(path));

        Assert.Contains("tensor 'flags': BOOL element 2 holds byte 2, but BOOL bytes must be 0 or 1", error.Problem);
    }

    [Fact]
    public void Every_truncation_and_byte_corruption_of_a_valid_file_gives_a_format_error_or_a_valid_header()
    {
        var valid = File.ReadAllBytes(Fixtures.MlMdm("two_level", "forward.safetensors"));
        var headerEnd = 8 + (int)BitConverter.ToUInt64(valid, 0);
        var random = new Random(1234);

        for (var length = 0; length < headerEnd + 16; length++)
        {
            AssertHeaderIsValidOrRefused(valid.AsSpan(0, length).ToArray());
        }
        for (var trial = 0; trial < 3000; trial++)
        {
            var corrupted = (byte[])valid.Clone();
            var flips = random.Next(1, 4);
            for (var i = 0; i < flips; i++)
            {
                corrupted[random.Next(headerEnd)] = (byte)random.Next(256);
            }
            AssertHeaderIsValidOrRefused(corrupted);
        }
    }

    private static void AssertHeaderIsValidOrRefused(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        try
        {
            SafetensorsReader.ReadHeader(stream);
        }
        catch (SafetensorsFormatException)
        {
            // Refused with the typed error: what we want for broken input.
        }
    }
}
