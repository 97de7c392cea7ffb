using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Matryoshka.AspNetCore;

/// <summary>Registers what <see cref="MatryoshkaEndpointRouteBuilderExtensions.MapMatryoshka"/> serves.</summary>
public static class MatryoshkaServingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the generation queue and its threads, the limits (validated when the host starts), the health check,
    /// metrics and (by default) loading the model at start. The pipeline itself is registered with <c>AddMatryoshka</c>
    /// under <see cref="MatryoshkaServingOptions.PipelineName"/>.
    /// </summary>
    public static IServiceCollection AddMatryoshkaServing(this IServiceCollection services, Action<MatryoshkaServingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MatryoshkaServingOptions>();
        if (configure is not null) options.Configure(configure);
        options.Validate(o => o.Problems().Count == 0, "Matryoshka serving options are invalid.").ValidateOnStart();
        services.AddSingleton<IValidateOptions<MatryoshkaServingOptions>, ServingOptionsValidator>();
        services.AddSingleton(provider =>
        {
            var o = provider.GetRequiredService<IOptions<MatryoshkaServingOptions>>().Value;
            return new GenerationQueue(o.MaxConcurrentGenerations, o.MaxQueueLength, initialEstimate: TimeSpan.FromSeconds(5));
        });
        // One long-lived thread per slot (see GenerationThreads: glibc's malloc arenas); disposed with the host.
        services.AddSingleton(provider =>
            new GenerationThreads(provider.GetRequiredService<IOptions<MatryoshkaServingOptions>>().Value.MaxConcurrentGenerations));
        services.AddMetrics();
        services.AddSingleton<ServingMetrics>();
        services.AddSingleton<MatryoshkaServing>();
        services.AddHostedService<ModelLoader>();
        services.AddProblemDetails();
        services.AddHealthChecks().AddCheck<HealthEndpoint>(HealthEndpoint.CheckName);
        return services;
    }

    /// <summary>Lists every problem, not only the first.</summary>
    private sealed class ServingOptionsValidator : IValidateOptions<MatryoshkaServingOptions>
    {
        public ValidateOptionsResult Validate(string? name, MatryoshkaServingOptions options)
        {
            var problems = options.Problems();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => $"Matryoshka serving: {p}"));
        }
    }
}
