using System.Runtime.InteropServices;

namespace Matryoshka.IO;

/// <summary>
/// What kind of entry a path names, without following a final symbolic link. .NET reports devices, FIFOs and sockets
/// as ordinary files, so on Linux the type comes from <c>statx</c>, whose layout is the same on every architecture.
/// </summary>
internal static class FileKinds
{
    /// <summary>
    /// <see langword="null"/> when <paramref name="fullPath"/> does not exist or is a regular file, else a short name
    /// of what it is ("symbolic link", "directory", "FIFO", "character device", "block device", "socket").
    /// </summary>
    public static string? NonRegularKind(string fullPath)
    {
        var info = new FileInfo(fullPath);
        if (info.LinkTarget is not null) return "symbolic link";
        if (Directory.Exists(fullPath)) return "directory";
        return OperatingSystem.IsLinux() && info.Exists ? LinuxKind(fullPath) : null;
    }

    private static string? LinuxKind(string fullPath)
    {
        ushort mode;
        try
        {
            var buffer = new byte[256];
            if (Statx(AtFdCwd, fullPath, AtSymlinkNoFollow, StatxType, buffer) != 0) return null;
            mode = BitConverter.ToUInt16(buffer, ModeOffset);
        }
        catch (EntryPointNotFoundException)
        {
            // A libc without statx (old musl): only the managed checks above apply.
            return null;
        }
        return (mode & 0xF000) switch
        {
            0x1000 => "FIFO",
            0x2000 => "character device",
            0x6000 => "block device",
            0xC000 => "socket",
            _ => null,
        };
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    // struct statx: stx_mask, stx_blksize (u32), stx_attributes (u64), stx_nlink, stx_uid, stx_gid (u32), stx_mode (u16).
    private const int ModeOffset = 28;

    [DllImport("libc", EntryPoint = "statx")]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
