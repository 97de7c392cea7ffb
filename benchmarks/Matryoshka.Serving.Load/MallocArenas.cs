using System.Globalization;
using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace Matryoshka.Serving.Load;

/// <summary>
/// glibc's malloc arenas as <c>malloc_info</c> reports them: how many there are and what each holds from the system.
/// It shows where resident memory sits (libtorch's tensor buffers come from malloc); null off glibc.
/// </summary>
public static class MallocArenas
{
    /// <summary>A one-line summary, e.g. "3 arenas holding 150 + 40 + 2 MiB (12 MiB free in them), 0 MiB mmapped".</summary>
    public static string? Describe()
    {
        if (Read() is not { } info) return null;
        var heaps = info.Elements("heap").Select(h => Bytes(h, "system", "current")).ToArray();
        long free = info.Elements("heap").Sum(h => Bytes(h, "total", "rest") + Bytes(h, "total", "fast"));
        var mmapped = Bytes(info, "total", "mmap");
        return $"{heaps.Length} malloc arenas holding {string.Join(" + ", heaps.Select(b => b / 1048576))} MiB " +
            $"({free / 1048576} MiB free in them), {mmapped / 1048576} MiB mmapped";
    }

    /// <summary>
    /// Hands the arenas' free pages back to the system (<c>malloc_trim(0)</c>): the resident memory after it shows how
    /// much of the level is free memory the arenas keep. False off glibc.
    /// </summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static long Bytes(XElement parent, string element, string type) =>
        parent.Elements(element).Where(e => (string?)e.Attribute("type") == type)
            .Sum(e => long.Parse((string)e.Attribute("size")!, CultureInfo.InvariantCulture));

    private static XElement? Read()
    {
        if (!OperatingSystem.IsLinux()) return null;
        // open_memstream writes the buffer's address and size when the stream is closed: give it native slots for them.
        var slots = Marshal.AllocHGlobal(2 * IntPtr.Size);
        try
        {
            var stream = OpenMemoryStream(slots, slots + IntPtr.Size);
            if (stream == 0) return null;
            MallocInfo(0, stream);
            CloseFile(stream);
            var buffer = Marshal.ReadIntPtr(slots);
            try
            {
                return XElement.Parse(Marshal.PtrToStringUTF8(buffer, checked((int)Marshal.ReadIntPtr(slots, IntPtr.Size))));
            }
            finally
            {
                Free(buffer);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // not glibc (musl has no malloc_info)
        }
        finally
        {
            Marshal.FreeHGlobal(slots);
        }
    }

    [DllImport("libc", EntryPoint = "open_memstream")]
    private static extern nint OpenMemoryStream(nint buffer, nint size);

    [DllImport("libc", EntryPoint = "malloc_info")]
    private static extern int MallocInfo(int options, nint stream);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "fclose")]
    private static extern int CloseFile(nint stream);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(nint pointer);
}
