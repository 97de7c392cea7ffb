using Matryoshka.Hosting;
using Matryoshka.Pipelines;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Matryoshka.Extensions.AI;

/// <summary>Registers a <see cref="MatryoshkaImageGenerator"/> as the application's <see cref="IImageGenerator"/>.</summary>
public static class MatryoshkaImageGeneratorServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="IImageGenerator"/> over the pipeline registered under <paramref name="pipelineName"/>
    /// (with <see cref="MatryoshkaServiceCollectionExtensions.AddMatryoshka"/>). The returned builder adds MEAI's
    /// middleware around it, e.g. <c>.UseLogging().UseOpenTelemetry()</c>.
    /// </summary>
    public static ImageGeneratorBuilder AddMatryoshkaImageGenerator(this IServiceCollection services, string pipelineName,
        MatryoshkaImageGeneratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(pipelineName);
        // Checked now, not at the first resolve.
        var checkedOptions = options ?? new MatryoshkaImageGeneratorOptions();
        checkedOptions.Validate();
        return services.AddImageGenerator(provider =>
            new MatryoshkaImageGenerator(provider.GetRequiredKeyedService<MatryoshkaPipeline>(pipelineName), checkedOptions));
    }

    /// <summary>
    /// Registers the pipeline (<see cref="MatryoshkaServiceCollectionExtensions.AddMatryoshka"/> under
    /// <paramref name="pipelineName"/>, options validated when the host starts) and an <see cref="IImageGenerator"/> over it.
    /// </summary>
    public static ImageGeneratorBuilder AddMatryoshkaImageGenerator(this IServiceCollection services, string pipelineName,
        Action<MatryoshkaPipelineOptions> configurePipeline, MatryoshkaImageGeneratorOptions? options = null)
    {
        services.AddMatryoshka(pipelineName, configurePipeline);
        return services.AddMatryoshkaImageGenerator(pipelineName, options);
    }
}
