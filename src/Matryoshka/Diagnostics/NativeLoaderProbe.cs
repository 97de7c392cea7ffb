using System.Runtime.InteropServices;

namespace Matryoshka.Diagnostics;

/// <summary>Asks the dynamic loader directly, so its own message replaces TorchSharp's generic one.</summary>
internal static class NativeLoaderProbe
{
    /// <summary>Loads the library at <paramref name="path"/>; returns null on success, else the loader's message.</summary>
    /// <remarks>
    /// A library that loads stays loaded: TorchSharp would load the same file, and unloading libtorch
    /// from a running process is not safe.
    /// </remarks>
    public static string? TryLoad(string path)
    {
        try
        {
            NativeLibrary.Load(path);
            return null;
        }
        catch (DllNotFoundException e)
        {
            return LoaderText(e.Message);
        }
        catch (BadImageFormatException e)
        {
            return LoaderText(e.Message);
        }
    }

    /// <summary>
    /// The loader's own words: .NET puts dlerror()'s text on the lines after its generic first line
    /// ("Unable to load shared library ... consider setting LD_DEBUG"); other messages are kept whole.
    /// </summary>
    private static string LoaderText(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 1 ? string.Join(" ", lines.Skip(1)) : message.Trim();
    }
}
