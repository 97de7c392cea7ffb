using System.Runtime.InteropServices;

namespace Matryoshka.Runtime;

/// <summary>
/// The process's native environment block, which native libraries such as libgomp read. On Unix .NET keeps its own
/// copy of the environment: <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach
/// <c>getenv</c>, so settings meant for libtorch's OpenMP runtime go through libc here.
/// </summary>
internal static class NativeEnvironment
{
    public static string? Get(string name)
    {
        if (OperatingSystem.IsWindows()) return Environment.GetEnvironmentVariable(name);
        var value = GetEnv(name);
        return value == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(value);
    }

    /// <summary>Sets <paramref name="name"/> for native code too; false where libc refused.</summary>
    public static bool Set(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        return OperatingSystem.IsWindows() || SetEnv(name, value, 1) == 0;
    }

    /// <summary>
    /// Whether a shared library whose file name contains any of <paramref name="fragments"/> is mapped into this
    /// process (Linux): one pass over <c>/proc/self/maps</c>, whatever the number of fragments.
    /// </summary>
    public static bool IsAnyLoaded(params string[] fragments)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return false;
        try
        {
            return File.ReadLines(maps).Any(line => fragments.Any(fragment => line.Contains(fragment, StringComparison.Ordinal)));
        }
        catch (IOException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
