using Matryoshka.Conditioning;
using Microsoft.Extensions.DependencyInjection;

namespace Matryoshka.Text.MiniLM;

/// <summary>Registers the MiniLM text encoder with dependency injection.</summary>
public static class MiniLMServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="MiniLMTextEncoder"/> (a singleton, created on first use and disposed with the
    /// container) as itself and as the <see cref="ITextEncoder"/> that AddMatryoshka's pipelines use for prompts.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (checked now, not on first use).</exception>
    public static IServiceCollection AddMiniLMTextEncoder(this IServiceCollection services, MiniLMTextEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var checkedOptions = options ?? new MiniLMTextEncoderOptions();
        checkedOptions.Validate();
        services.AddSingleton(_ => new MiniLMTextEncoder(checkedOptions));
        services.AddSingleton<ITextEncoder>(provider => provider.GetRequiredService<MiniLMTextEncoder>());
        return services;
    }
}
