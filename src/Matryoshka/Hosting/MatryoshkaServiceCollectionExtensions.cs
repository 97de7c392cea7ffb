using Matryoshka.Conditioning;
using Matryoshka.Guidance;
using Matryoshka.Pipelines;
using Matryoshka.Sampling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Matryoshka.Hosting;

/// <summary>Registers Matryoshka pipelines with dependency injection.</summary>
public static class MatryoshkaServiceCollectionExtensions
{
    /// <summary>
    /// Registers a pipeline under <paramref name="name"/> (a keyed singleton, so several models can coexist;
    /// resolve with <c>[FromKeyedServices(name)]</c> or <c>GetRequiredKeyedService&lt;MatryoshkaPipeline&gt;(name)</c>).
    /// The options are validated when the host starts; the pipeline is built on first use. An
    /// <see cref="ITextEncoder"/> registered in the container is used for prompts.
    /// </summary>
    public static IServiceCollection AddMatryoshka(this IServiceCollection services, string name, Action<MatryoshkaPipelineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<MatryoshkaPipelineOptions>(name)
            .Configure(configure)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MatryoshkaPipelineOptions>>(new NamedOptionsValidator(name));
        services.AddKeyedSingleton(name, (provider, _) => Create(provider, name));
        return services;
    }

    private static MatryoshkaPipeline Create(IServiceProvider provider, string name)
    {
        var options = provider.GetRequiredService<IOptionsMonitor<MatryoshkaPipelineOptions>>().Get(name);
        var logger = provider.GetService<ILoggerFactory>()?.CreateLogger<MatryoshkaPipeline>() ?? NullLogger<MatryoshkaPipeline>.Instance;
        var builder = MatryoshkaPipeline.CreateBuilder().WithLogger(logger).WithMetricsName(name);
        if (!string.IsNullOrWhiteSpace(options.ModelFolder)) builder.FromPretrained(options.ModelFolder);
        else builder.FromMlMdm(options.ModelConfigPath, options.WeightsPath, options.TextEmbeddingDim);
        // Only what the options set overrides the model's own settings.
        if (options.Sampler is not null) builder.WithSampler(Samplers.FromName(options.Sampler, options.Eta));
        if (options.Steps is { } steps) builder.WithSteps(steps);
        if (options.GuidanceScale is { } scale) builder.WithGuidance(new ClassifierFreeGuidanceOptions { Scale = scale });
        if (options.Device is not null) builder.OnDevice(options.Device);
        if (provider.GetService<ITextEncoder>() is { } encoder) builder.WithTextEncoder(encoder);
        return builder.Build();
    }

    /// <summary>Reports every problem of the named options, not just the first.</summary>
    private sealed class NamedOptionsValidator(string name) : IValidateOptions<MatryoshkaPipelineOptions>
    {
        public ValidateOptionsResult Validate(string? optionsName, MatryoshkaPipelineOptions options)
        {
            if (optionsName != name) return ValidateOptionsResult.Skip;
            var problems = options.Problems();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => $"Matryoshka pipeline '{name}': {p}"));
        }
    }
}
