using System.Collections.Concurrent;
using System.Reflection;

namespace Matryoshka.Conditioning;

/// <summary>
/// Finds the text encoder a model manifest names. Factories come from <see cref="Register"/>, from the core (T5), or
/// from the assembly the manifest names (<see cref="TextEncoderSpec.Library"/>), which announces its factory with
/// <see cref="TextEncoderProviderAttribute"/> — so a model folder whose encoder package is referenced needs no
/// encoder code from the user.
/// </summary>
public static class TextEncoders
{
    private static readonly ConcurrentDictionary<string, ITextEncoderFactory> Factories =
        new(ProvidedBy(typeof(TextEncoders).Assembly).Select(f => KeyValuePair.Create(f.Kind, f)), StringComparer.OrdinalIgnoreCase);

    /// <summary>Makes <paramref name="factory"/> the one used for its <see cref="ITextEncoderFactory.Kind"/>.</summary>
    public static void Register(ITextEncoderFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Factories[factory.Kind] = factory;
    }

    /// <summary>Creates the encoder <paramref name="spec"/> describes and checks its width; the caller owns it.</summary>
    /// <exception cref="MatryoshkaException">No factory provides the kind (the message names the package to add), or the encoder's width differs from the spec's.</exception>
    public static ITextEncoder Create(TextEncoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var factory = Find(spec);
        var encoder = factory.Create(spec);
        if (encoder.EmbeddingDim != spec.Width)
        {
            (encoder as IDisposable)?.Dispose();
            throw new MatryoshkaException(
                $"The text encoder '{spec.Kind}' produces width {encoder.EmbeddingDim}, but the model manifest in {spec.ModelFolder} says {spec.Width}.");
        }
        return encoder;
    }

    private static ITextEncoderFactory Find(TextEncoderSpec spec)
    {
        if (Factories.TryGetValue(spec.Kind, out var known)) return known;
        if (spec.Library is null)
            throw new MatryoshkaException($"No text encoder '{spec.Kind}' is registered, and the model manifest in {spec.ModelFolder} names no library that provides one.");
        foreach (var factory in ProvidedBy(LoadLibrary(spec))) Factories.TryAdd(factory.Kind, factory);
        return Factories.TryGetValue(spec.Kind, out var found)
            ? found
            : throw new MatryoshkaException($"{spec.Library} provides no text encoder '{spec.Kind}' (model manifest in {spec.ModelFolder}).");
    }

    private static Assembly LoadLibrary(TextEncoderSpec spec)
    {
        try
        {
            return Assembly.Load(new AssemblyName(spec.Library!));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException or ArgumentException)
        {
            throw new MatryoshkaException(
                $"The model in {spec.ModelFolder} needs the text encoder '{spec.Kind}' from {spec.Library}, which this application does not reference: " +
                $"add the package (dotnet add package {spec.Library}) or register a factory with TextEncoders.Register.", e);
        }
    }

    private static IEnumerable<ITextEncoderFactory> ProvidedBy(Assembly assembly) =>
        assembly.GetCustomAttributes<TextEncoderProviderAttribute>().Select(a =>
            Activator.CreateInstance(a.FactoryType) as ITextEncoderFactory
            ?? throw new MatryoshkaException($"{a.FactoryType} in {assembly.GetName().Name} is not an {nameof(ITextEncoderFactory)}."));
}
