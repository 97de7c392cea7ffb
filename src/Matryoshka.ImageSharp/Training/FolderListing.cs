namespace Matryoshka.ImageSharp.Training;

/// <summary>
/// Lists the files of a folder tree. Symbolic links to folders are followed, but every real folder is visited once,
/// so a link cycle (or two links to one folder) neither loops nor lists files twice. Hidden and inaccessible entries
/// are skipped.
/// </summary>
internal static class FolderListing
{
    public static IEnumerable<string> Files(string root, bool recursive)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true };
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(string Path, string RealPath)>();
        pending.Push((root, RealPath(new DirectoryInfo(root), parentRealPath: null)));
        while (pending.Count > 0)
        {
            var (path, realPath) = pending.Pop();
            if (!visited.Add(realPath))
                continue;
            foreach (var file in Directory.EnumerateFiles(path, "*", options))
                yield return file;
            if (!recursive)
                continue;
            foreach (var child in new DirectoryInfo(path).EnumerateDirectories("*", options))
                pending.Push((child.FullName, RealPath(child, realPath)));
        }
    }

    /// <summary>A folder's path with links resolved: a link's final target, or the parent's real path plus the name.</summary>
    private static string RealPath(DirectoryInfo folder, string? parentRealPath)
    {
        if (folder.LinkTarget is not null)
        {
            var target = folder.ResolveLinkTarget(returnFinalTarget: true);
            return Path.TrimEndingDirectorySeparator(target?.FullName ?? folder.FullName);
        }
        return parentRealPath is null
            ? Path.TrimEndingDirectorySeparator(folder.FullName)
            : Path.Combine(parentRealPath, folder.Name);
    }
}
