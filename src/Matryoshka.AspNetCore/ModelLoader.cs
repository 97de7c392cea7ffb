using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matryoshka.AspNetCore;

/// <summary>Loads the model while the application starts (when <see cref="MatryoshkaServingOptions.LoadModelOnStart"/>), so the first request does not pay for it.</summary>
internal sealed class ModelLoader(MatryoshkaServing serving) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!serving.Options.LoadModelOnStart) return;
        var pipeline = await Task.Run(() => serving.Pipeline, cancellationToken).ConfigureAwait(false);
        serving.Logger.LogInformation("Serving model {Model} ({Levels}) with {Slots} generation slot(s) and a waiting line of {Waiting}",
            pipeline.Name ?? serving.Options.PipelineName, string.Join("→", pipeline.Model.Resolutions), serving.Queue.MaxConcurrent, serving.Queue.MaxWaiting);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
