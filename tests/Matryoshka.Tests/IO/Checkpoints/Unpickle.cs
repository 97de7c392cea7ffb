using Matryoshka.IO.Checkpoints;

namespace Matryoshka.Tests.IO.Checkpoints;

/// <summary>Runs the restricted pickle reader on bytes alone and returns the public form of the value.</summary>
internal static class Unpickle
{
    public const string FilePath = "test.pkl";

    public static object? Value(byte[] pickle, CheckpointReadOptions? options = null)
    {
        options ??= CheckpointReadOptions.Default;
        var raw = Raw(pickle, options);
        return new PublicValueConverter(FilePath, options.MaxNestingDepth).Convert(raw);
    }

    /// <summary>The reader's own value; storage references are accepted as in a zip checkpoint.</summary>
    public static object? Raw(byte[] pickle, CheckpointReadOptions? options = null)
    {
        using var stream = new MemoryStream(pickle);
        var registry = new StorageRegistry(legacy: false);
        return PickleReader.Read(new PickleInput(stream, FilePath, "pickle"), options ?? CheckpointReadOptions.Default, registry.Load);
    }
}
