// Reads and edits the GNU symbol-version tables of a 64-bit little-endian ELF shared object.
//
// Why: TorchSharp 0.107.0's libLibTorchSharp.so is built against GCC 13's libstdc++ and declares a
// need for GLIBCXX_3.4.32, although no relocation uses a symbol of that version (the only one is
// std::ios_base_library_init(), which nothing calls). On a Linux whose libstdc++ predates GCC 13
// (Debian 12: GLIBCXX_3.4.30) the loader refuses the whole library. Marking such a need weak
// (VER_FLG_WEAK) in the copy of the file in the build output lets it load; the NuGet cache is never
// touched. This file is compiled both into the MSBuild task (build/NativePatch.targets) and into the
// Matryoshka library's installation doctor (Matryoshka.Diagnostics, `matryoshka doctor`), so the build and the
// diagnosis use one implementation.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Matryoshka.Build
{
    /// <summary>One version requirement (Vernaux entry) of an ELF file on one of its dependencies.</summary>
    internal sealed class ElfVersionNeed
    {
        public ElfVersionNeed(string library, string version, ushort flags, long flagsOffset)
        {
            Library = library;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        /// <summary>The dependency's soname, e.g. <c>libstdc++.so.6</c>.</summary>
        public string Library { get; }

        /// <summary>The version name, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
        public string Version { get; }

        /// <summary>The vna_flags field; bit 2 is VER_FLG_WEAK.</summary>
        public ushort Flags { get; }

        /// <summary>File offset of the vna_flags field.</summary>
        public long FlagsOffset { get; }

        /// <summary>Whether the loader tolerates this version being absent.</summary>
        public bool IsWeak => (Flags & ElfVersionTables.VerFlagWeak) != 0;
    }

    /// <summary>Parses the version-need and version-definition sections of ELF64 little-endian files.</summary>
    internal static class ElfVersionTables
    {
        public const ushort VerFlagWeak = 2;
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const int MaxEntries = 1 << 16;

        /// <summary>Every version requirement of <paramref name="path"/>.</summary>
        public static IReadOnlyList<ElfVersionNeed> ReadVersionNeeds(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var result = new List<ElfVersionNeed>();
            var sections = Sections(bytes, path);
            foreach (var section in sections.Where(s => s.Type == ShtGnuVerneed))
            {
                var strtab = StringTable(sections, section, path);
                long entry = section.Offset;
                // Verneed and Vernaux records are 16 bytes each: a corrupt file cannot make us walk more than fit.
                long records = section.Size / 16;
                for (int i = 0; i < Math.Min(section.Info, MaxEntries); i++)
                {
                    CountRecord(ref records, path);
                    ushort count = U16(bytes, entry + 2, path);
                    string file = CString(bytes, strtab.Offset + U32(bytes, entry + 4, path), path);
                    long aux = entry + U32(bytes, entry + 8, path);
                    for (int j = 0; j < count; j++)
                    {
                        CountRecord(ref records, path);
                        ushort flags = U16(bytes, aux + 4, path);
                        string name = CString(bytes, strtab.Offset + U32(bytes, aux + 8, path), path);
                        result.Add(new ElfVersionNeed(file, name, flags, aux + 4));
                        uint nextAux = U32(bytes, aux + 12, path);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint next = U32(bytes, entry + 12, path);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return result;
        }

        /// <summary>Every version name that <paramref name="path"/> defines (e.g. GLIBCXX_3.4.30 in libstdc++).</summary>
        public static IReadOnlyCollection<string> ReadVersionDefinitions(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var result = new HashSet<string>(StringComparer.Ordinal);
            var sections = Sections(bytes, path);
            foreach (var section in sections.Where(s => s.Type == ShtGnuVerdef))
            {
                var strtab = StringTable(sections, section, path);
                long entry = section.Offset;
                for (int i = 0; i < Math.Min(section.Info, MaxEntries); i++)
                {
                    ushort count = U16(bytes, entry + 6, path);
                    long aux = entry + U32(bytes, entry + 12, path);
                    if (count > 0) result.Add(CString(bytes, strtab.Offset + U32(bytes, aux, path), path));
                    uint next = U32(bytes, entry + 16, path);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return result;
        }

        /// <summary>
        /// The strong requirements of <paramref name="path"/> on <paramref name="library"/> whose versions
        /// are not among <paramref name="available"/>: exactly what makes the loader refuse the file.
        /// </summary>
        public static IReadOnlyList<ElfVersionNeed> UnsatisfiedNeeds(string path, string library, IReadOnlyCollection<string> available) =>
            UnsatisfiedNeeds(ReadVersionNeeds(path), library, available);

        /// <summary>The strong requirements among <paramref name="needs"/> on <paramref name="library"/> that <paramref name="available"/> lacks.</summary>
        public static IReadOnlyList<ElfVersionNeed> UnsatisfiedNeeds(IEnumerable<ElfVersionNeed> needs, string library, IReadOnlyCollection<string> available) =>
            needs.Where(n => n.Library == library && !n.IsWeak && !available.Contains(n.Version)).ToList();

        /// <summary>
        /// Sets VER_FLG_WEAK on the given requirements of <paramref name="path"/>. Idempotent: a file whose
        /// requirements are all weak already is not written at all.
        /// </summary>
        public static void MarkWeak(string path, IEnumerable<ElfVersionNeed> needs)
        {
            var bytes = File.ReadAllBytes(path);
            bool changed = false;
            foreach (var need in needs)
            {
                ushort flags = U16(bytes, need.FlagsOffset, path);
                ushort weak = (ushort)(flags | VerFlagWeak);
                if (weak == flags) continue;
                bytes[need.FlagsOffset] = (byte)(weak & 0xff);
                bytes[need.FlagsOffset + 1] = (byte)(weak >> 8);
                changed = true;
            }
            if (!changed) return;

            // Write a new file and rename it over the old name instead of writing in place: an output copy
            // that is a hard or symbolic link into the NuGet cache (CreateHardLinksForCopyLocalIfPossible and
            // friends) must not carry the edit into the cache. File.Copy first, so the new file keeps the mode.
            var temporary = path + ".matryoshka-patch";
            try
            {
                File.Copy(path, temporary, true);
                File.WriteAllBytes(temporary, bytes);
                File.Replace(temporary, path, null);
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
        }

        /// <summary>The first existing copy of a shared library in the usual Linux library folders, or null.</summary>
        public static string? FindSystemLibrary(string soname)
        {
            var folders = new List<string>();
            var ldPath = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            if (!string.IsNullOrEmpty(ldPath)) folders.AddRange(ldPath!.Split(':').Where(p => p.Length > 0));
            folders.AddRange(new[]
            {
                "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64",
                "/usr/local/lib64", "/usr/local/lib", "/usr/lib", "/lib",
            });
            return folders.Select(f => Path.Combine(f, soname)).FirstOrDefault(File.Exists);
        }

        private readonly struct Section
        {
            public Section(uint type, long offset, long size, uint link, uint info)
            {
                Type = type; Offset = offset; Size = size; Link = link; Info = info;
            }
            public uint Type { get; }
            public long Offset { get; }
            public long Size { get; }
            public uint Link { get; }
            public uint Info { get; }
        }

        private static Section[] Sections(byte[] b, string path)
        {
            if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
                throw new InvalidDataException($"{path} is not an ELF file.");
            if (b[4] != 2 || b[5] != 1)
                throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
            long shoff = (long)U64(b, 0x28, path);
            ushort shentsize = U16(b, 0x3A, path);
            ushort shnum = U16(b, 0x3C, path);
            if (shentsize < 64) throw new InvalidDataException($"{path}: invalid section header size {shentsize}.");
            var sections = new Section[shnum];
            for (int i = 0; i < shnum; i++)
            {
                long h = shoff + (long)i * shentsize;
                sections[i] = new Section(U32(b, h + 4, path), (long)U64(b, h + 24, path), (long)U64(b, h + 32, path),
                    U32(b, h + 40, path), U32(b, h + 44, path));
            }
            return sections;
        }

        private static Section StringTable(Section[] sections, Section owner, string path) =>
            owner.Link < sections.Length
                ? sections[owner.Link]
                : throw new InvalidDataException($"{path}: version section links to missing string table {owner.Link}.");

        private static void CountRecord(ref long remaining, string path)
        {
            if (--remaining < 0) throw new InvalidDataException($"{path}: version records overrun their section.");
        }

        private static void Check(byte[] b, long offset, int length, string path)
        {
            if (offset < 0 || offset > b.Length - length)
                throw new InvalidDataException($"{path}: ELF structure points outside the file (offset {offset}).");
        }

        private static ushort U16(byte[] b, long o, string path) { Check(b, o, 2, path); return (ushort)(b[o] | b[o + 1] << 8); }
        private static uint U32(byte[] b, long o, string path) { Check(b, o, 4, path); return BitConverter.ToUInt32(b, (int)o); }
        private static ulong U64(byte[] b, long o, string path) { Check(b, o, 8, path); return BitConverter.ToUInt64(b, (int)o); }

        private static string CString(byte[] b, long o, string path)
        {
            Check(b, o, 1, path);
            long end = o;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
        }
    }
}

#if !MATRYOSHKA_ELF_ONLY
namespace Matryoshka.Build
{
    /// <summary>
    /// MSBuild task: for each given libLibTorchSharp.so, marks weak every GLIBCXX version it requires that the
    /// system's libstdc++ does not define. Does nothing when libstdc++ is recent enough or cannot be found.
    /// Keeps the file's timestamp so incremental builds do not copy the unpatched original over it again.
    /// </summary>
    public sealed class WeakenUnsatisfiedGlibcxxNeeds : Microsoft.Build.Utilities.Task
    {
        /// <summary>The libLibTorchSharp.so copies to patch (in build or publish output folders only).</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>Patches each file whose GLIBCXX needs the system cannot satisfy; never fails the build.</summary>
        public override bool Execute()
        {
            if (Files.Length == 0) return true;
            var libstdcxx = ElfVersionTables.FindSystemLibrary("libstdc++.so.6");
            if (libstdcxx is null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "Matryoshka: no system libstdc++.so.6 found; native patch skipped.");
                return true;
            }
            var available = ElfVersionTables.ReadVersionDefinitions(libstdcxx);
            foreach (var item in Files)
            {
                var path = item.ItemSpec;
                try
                {
                    var missing = ElfVersionTables.UnsatisfiedNeeds(path, "libstdc++.so.6", available);
                    if (missing.Count == 0) continue;
                    var stamp = File.GetLastWriteTimeUtc(path);
                    ElfVersionTables.MarkWeak(path, missing);
                    File.SetLastWriteTimeUtc(path, stamp);
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                        $"Matryoshka: marked {string.Join(", ", missing.Select(m => m.Version))} weak in {path} ({libstdcxx} lacks them; see docs/troubleshooting.md).");
                }
                catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
                {
                    Log.LogWarning($"Matryoshka: could not patch {path}: {e.Message}");
                }
            }
            return true;
        }
    }
}
#endif
