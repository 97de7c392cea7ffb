namespace Matryoshka.Tests;

/// <summary>The repository the tests were built from, for tests that read its sources or committed data.</summary>
internal static class RepositoryFolder
{
    /// <summary>The first folder above the test binaries that holds Matryoshka.sln.</summary>
    public static string Root
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
                if (File.Exists(Path.Combine(folder.FullName, "Matryoshka.sln"))) return folder.FullName;
            throw new InvalidOperationException($"no Matryoshka.sln above {AppContext.BaseDirectory}");
        }
    }
}
