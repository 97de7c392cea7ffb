namespace Matryoshka.IO;

/// <summary>
/// Writes a file through a temporary sibling, flushed to disk and then renamed over the target, so an interrupted
/// write (an exception, a killed process, a full disk) leaves either the old file or the complete new one.
/// Only a regular file (or nothing) is replaced: a target that is a directory, device, FIFO, socket or symbolic link is
/// refused with <see cref="OutputPathException"/> before anything is written. A symbolic link is refused rather than
/// written through, because the rename would replace the link itself and writing to its target would reach outside
/// the destination the caller named.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>, replacing any existing file only once the new one is complete.</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    /// <param name="write">Writes the whole content to the stream it is given (a temporary file next to <paramref name="path"/>).</param>
    /// <exception cref="IOException">The temporary file cannot be created or renamed; it is deleted and the target left as it was.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        EnsureReplaceable(path);
        // Same folder as the target, so the final move is a rename on one volume.
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Throws <see cref="OutputPathException"/> when <paramref name="path"/> exists and is not a regular file.</summary>
    public static void EnsureReplaceable(string path)
    {
        var kind = FileKinds.NonRegularKind(Path.GetFullPath(path));
        if (kind is not null) throw new OutputPathException(path, kind);
    }

    private static void TryDelete(string path)
    {
        // The original failure matters more than a leftover temporary file.
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
