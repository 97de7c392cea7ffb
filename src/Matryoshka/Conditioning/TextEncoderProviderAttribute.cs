namespace Matryoshka.Conditioning;

/// <summary>
/// Announces, on an encoder package's assembly, the <see cref="ITextEncoderFactory"/> it provides:
/// <c>[assembly: TextEncoderProvider(typeof(MyEncoderFactory))]</c>. The type needs a public parameterless constructor.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class TextEncoderProviderAttribute(Type factoryType) : Attribute
{
    /// <summary>The <see cref="ITextEncoderFactory"/> implementation.</summary>
    public Type FactoryType { get; } = factoryType ?? throw new ArgumentNullException(nameof(factoryType));
}
