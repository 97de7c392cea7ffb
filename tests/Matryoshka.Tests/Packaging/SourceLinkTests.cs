using System.Reflection.Metadata;
using System.Text;
using Xunit;

namespace Matryoshka.Tests.Packaging;

/// <summary>The library's PDB maps its documents to the repository URL (Directory.Build.props), not to local paths.</summary>
public class SourceLinkTests
{
    // The portable-PDB custom debug information kind that holds SourceLink's JSON.
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Fact]
    public void The_core_library_pdb_points_at_the_repository_url()
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Matryoshka.pdb"));
        using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
        var reader = provider.GetMetadataReader();
        string? json = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(info => reader.GetGuid(info.Kind) == SourceLinkKind)
            .Select(info => Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value)))
            .SingleOrDefault();

        Assert.NotNull(json);
        Assert.Matches("\"https://raw\\.githubusercontent\\.com/matryoshka-dotnet/matryoshka/[0-9a-f]{40}/\\*\"", json);
    }
}
