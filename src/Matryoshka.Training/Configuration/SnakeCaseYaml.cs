using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Matryoshka.Training.Configuration;

/// <summary>
/// Reads this package's YAML files (training configurations, experiment specs): snake_case fields, unknown fields
/// refused, at most 1 MiB; every problem becomes the caller's typed exception naming the file.
/// </summary>
internal static class SnakeCaseYaml
{
    /// <param name="path">The file.</param>
    /// <param name="what">What the file should be, for the size refusal ("a training configuration").</param>
    /// <param name="invalid">Makes the caller's exception from the problem and the error that revealed it.</param>
    public static T Load<T>(string path, string what, Func<string, Exception?, Exception> invalid) where T : class =>
        Load<T>(path, what, invalid, out _);

    /// <param name="path">The file.</param>
    /// <param name="what">What the file should be, for the size refusal ("a training configuration").</param>
    /// <param name="invalid">Makes the caller's exception from the problem and the error that revealed it.</param>
    /// <param name="text">The file's text, as read.</param>
    public static T Load<T>(string path, string what, Func<string, Exception?, Exception> invalid, out string text) where T : class
    {
        if (!File.Exists(path)) throw invalid("does not exist.", null);
        if (new FileInfo(path).Length > 1 << 20) throw invalid($"is larger than 1 MiB; not {what}.", null);
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        text = File.ReadAllText(path);
        try
        {
            return deserializer.Deserialize<T?>(text) ?? throw invalid("is empty.", null);
        }
        catch (YamlException e)
        {
            throw invalid($"line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}", e);
        }
    }
}
