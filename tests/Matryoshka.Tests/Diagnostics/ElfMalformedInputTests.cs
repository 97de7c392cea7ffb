using Matryoshka.Build;
using Xunit;
using static Matryoshka.Tests.Diagnostics.NativeTestFiles;

namespace Matryoshka.Tests.Diagnostics;

/// <summary>Bad files must give InvalidDataException, never a crash or another exception type.</summary>
public class ElfMalformedInputTests
{
    public static TheoryData<string> Malformations => new() { "empty", "text", "header only", "half", "32-bit", "big-endian", "section table past end" };

    [LinuxTheory]
    [MemberData(nameof(Malformations))]
    public void Malformed_file_gives_InvalidDataException(string malformation)
    {
        using var temp = new TempFolder();
        var path = temp.File("bad.so");
        File.WriteAllBytes(path, Malform(File.ReadAllBytes(CachedShim), malformation));

        Assert.Throws<InvalidDataException>(() => ElfVersionTables.ReadVersionNeeds(path));
        Assert.Throws<InvalidDataException>(() => ElfVersionTables.ReadVersionDefinitions(path));
    }

    [LinuxFact]
    public void Randomly_corrupted_headers_give_results_or_InvalidDataException()
    {
        var pristine = File.ReadAllBytes(CachedShim);
        long shoff = BitConverter.ToInt64(pristine, 0x28);
        using var temp = new TempFolder();
        var path = temp.File("corrupt.so");
        var random = new Random(20261126);
        for (int round = 0; round < 200; round++)
        {
            var bytes = (byte[])pristine.Clone();
            for (int k = 0; k < 4; k++)
            {
                // Corrupt the ELF header or the section header table: every offset the reader follows comes from there.
                long at = random.Next(2) == 0 ? random.Next(16, 64) : shoff + random.Next(pristine.Length - (int)shoff);
                bytes[at] = (byte)random.Next(256);
            }
            File.WriteAllBytes(path, bytes);
            foreach (var read in new Action[] { () => ElfVersionTables.ReadVersionNeeds(path), () => ElfVersionTables.ReadVersionDefinitions(path) })
            {
                var thrown = Record.Exception(read);
                Assert.True(thrown is null or InvalidDataException, $"round {round}: {thrown}");
            }
        }
    }

    private static byte[] Malform(byte[] elf, string malformation)
    {
        switch (malformation)
        {
            case "empty": return [];
            case "text": return "#!/bin/sh\necho not an ELF file\n"u8.ToArray();
            case "header only": return elf[..64];
            case "half": return elf[..(elf.Length / 2)];
            case "32-bit": elf[4] = 1; return elf;
            case "big-endian": elf[5] = 2; return elf;
            case "section table past end":
                BitConverter.GetBytes((long)elf.Length - 10).CopyTo(elf, 0x28);
                return elf;
            default: throw new ArgumentOutOfRangeException(nameof(malformation));
        }
    }
}
