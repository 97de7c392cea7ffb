using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Matryoshka.AspNetCore;

/// <summary>
/// <c>GET /healthz</c>: healthy once the model is loaded, with the queue's state; unhealthy (503) when it cannot load.
/// The state lives in this process only: a load balancer may use it for readiness.
/// </summary>
internal sealed class HealthEndpoint(MatryoshkaServing serving) : IHealthCheck
{
    public const string CheckName = "matryoshka";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pipeline = serving.Pipeline;
            var queue = serving.Queue;
            return Task.FromResult(HealthCheckResult.Healthy("The model is loaded.", new Dictionary<string, object>
            {
                ["model"] = pipeline.Name ?? serving.Options.PipelineName,
                ["levels"] = pipeline.Model.Resolutions,
                ["running"] = queue.Running,
                ["waiting"] = queue.Waiting,
                ["maxConcurrent"] = queue.MaxConcurrent,
                ["maxWaiting"] = queue.MaxWaiting,
            }));
        }
        catch (MatryoshkaException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The model could not be loaded.", e));
        }
    }

    /// <summary>The report as one small JSON object: status, description, and the check's data.</summary>
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var entry = report.Entries.TryGetValue(CheckName, out var e) ? e : default;
        var body = new Dictionary<string, object?> { ["status"] = report.Status.ToString(), ["description"] = entry.Description };
        if (entry.Data is not null) foreach (var (key, value) in entry.Data) body[key] = value;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
