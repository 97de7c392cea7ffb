// MSBuild inline task (RoslynCodeTaskFactory, which compiles against netstandard only, so no
// System.Reflection.Metadata): writes out resources embedded in a .NET assembly, identified by their SHA-256.
// The assembly is read as a file, never loaded. Its CLI header names the resources block; embedded resources are
// stored there one after another, each as a 4-byte little-endian length and the bytes, starting on 8-byte boundaries
// (what the C# compiler writes). Every blob is hashed; each item names the digest it wants (metadata Sha256) and
// the file to write (metadata TargetFile). A digest that is not found fails the build.
using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Matryoshka.Build
{
    public sealed class ExtractEmbeddedResources : Task
    {
        [Required] public string Assembly { get; set; } = "";

        /// <summary>Items: identity = a description; metadata Sha256 (hex) and TargetFile.</summary>
        [Required] public ITaskItem[] Resources { get; set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            try
            {
                byte[] image = File.ReadAllBytes(Assembly);
                var (start, size) = ResourcesBlock(image);
                var wanted = new Dictionary<string, ITaskItem>(StringComparer.OrdinalIgnoreCase);
                foreach (var item in Resources) wanted[item.GetMetadata("Sha256")] = item;
                long offset = 0;
                while (offset + 4 <= size && wanted.Count > 0)
                {
                    int length = BitConverter.ToInt32(image, checked((int)(start + offset)));
                    if (length < 0 || offset + 4 + length > size) throw new InvalidDataException("a resource runs past the resources block");
                    int dataStart = checked((int)(start + offset + 4));
                    string digest = Hex(SHA256.Create().ComputeHash(image, dataStart, length));
                    if (wanted.TryGetValue(digest, out var item))
                    {
                        Write(item.GetMetadata("TargetFile"), image, dataStart, length);
                        Log.LogMessage(MessageImportance.Normal, $"Extracted {item.ItemSpec} ({length:N0} bytes) to {item.GetMetadata("TargetFile")}");
                        wanted.Remove(digest);
                    }
                    offset = (offset + 4 + length + 7) & ~7L;
                }
                foreach (var missing in wanted.Values)
                    Log.LogError($"{Assembly}: no embedded resource has the SHA-256 of {missing.ItemSpec} ({missing.GetMetadata("Sha256")}); the package is not the one this build was made for.");
                return wanted.Count == 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or OverflowException)
            {
                Log.LogError($"{Assembly}: cannot read its embedded resources: {e.Message}");
                return false;
            }
        }

        // PE/COFF: DOS header → "PE\0\0" → COFF header → optional header (data directory 14 = CLI header) → section
        // table (to turn RVAs into file offsets); the CLI header's Resources directory (RVA, size) sits at byte 24.
        private static (long Start, long Size) ResourcesBlock(byte[] image)
        {
            int pe = BitConverter.ToInt32(image, 0x3C);
            if (BitConverter.ToUInt32(image, pe) != 0x00004550) throw new InvalidDataException("not a PE file");
            int coff = pe + 4;
            int sections = BitConverter.ToUInt16(image, coff + 2);
            int optionalSize = BitConverter.ToUInt16(image, coff + 16);
            int optional = coff + 20;
            int directories = BitConverter.ToUInt16(image, optional) switch
            {
                0x10B => optional + 96,
                0x20B => optional + 112,
                _ => throw new InvalidDataException("unknown optional header"),
            };
            int sectionTable = optional + optionalSize;
            long ToFileOffset(uint rva)
            {
                for (int s = 0; s < sections; s++)
                {
                    int entry = sectionTable + 40 * s;
                    uint virtualAddress = BitConverter.ToUInt32(image, entry + 12);
                    uint rawSize = BitConverter.ToUInt32(image, entry + 16);
                    uint rawPointer = BitConverter.ToUInt32(image, entry + 20);
                    if (rva >= virtualAddress && rva < virtualAddress + rawSize) return rawPointer + (rva - virtualAddress);
                }
                throw new InvalidDataException($"RVA 0x{rva:X} is in no section");
            }
            uint cliRva = BitConverter.ToUInt32(image, directories + 14 * 8);
            if (cliRva == 0) throw new InvalidDataException("not a .NET assembly");
            long cli = ToFileOffset(cliRva);
            uint resourcesRva = BitConverter.ToUInt32(image, checked((int)cli + 24));
            uint resourcesSize = BitConverter.ToUInt32(image, checked((int)cli + 28));
            if (resourcesRva == 0) throw new InvalidDataException("the assembly embeds no resources");
            long start = ToFileOffset(resourcesRva);
            if (start + resourcesSize > image.Length) throw new InvalidDataException("the resources block runs past the end of the file");
            return (start, resourcesSize);
        }

        private static string Hex(byte[] bytes)
        {
            var text = new System.Text.StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes) text.Append(b.ToString("x2"));
            return text.ToString();
        }

        // Written under a unique name, then renamed into place: a reader (or a second build node extracting the same
        // file) never sees a half-written file.
        private static void Write(string target, byte[] image, int start, int length)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target));
            string temporary = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
            using (var file = File.Create(temporary)) file.Write(image, start, length);
            try
            {
                if (File.Exists(target)) File.Replace(temporary, target, null);
                else File.Move(temporary, target);
            }
            catch (IOException) when (File.Exists(target))
            {
                File.Replace(temporary, target, null);
            }
        }
    }
}
