using System.Diagnostics;
using System.Diagnostics.Metrics;
using Matryoshka.Pipelines;

namespace Matryoshka.AspNetCore;

/// <summary>
/// The serving instruments, on the same <c>Matryoshka</c> meter as the pipeline's own (one <c>AddMeter("Matryoshka")</c>
/// collects both): requests by endpoint and outcome, their duration, and the queue's state.
/// </summary>
internal sealed class ServingMetrics
{
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    public ServingMetrics(IMeterFactory meters, GenerationQueue queue)
    {
        var meter = meters.Create(PipelineMetrics.MeterName);
        _requests = meter.CreateCounter<long>("matryoshka.serving.requests", "{request}",
            "Image requests by endpoint and outcome: ok, invalid, rejected (429), cancelled (client left), timeout (504), failed.");
        _duration = meter.CreateHistogram<double>("matryoshka.serving.request.duration", "s",
            "Time from a request's arrival to its answer, waiting in the queue included.");
        meter.CreateObservableGauge("matryoshka.serving.queue.waiting", () => queue.Waiting, "{request}", "Requests waiting for a slot.");
        meter.CreateObservableGauge("matryoshka.serving.generations.running", () => queue.Running, "{generation}", "Generations holding a slot.");
    }

    public void Record(string endpoint, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "endpoint", endpoint }, { "outcome", outcome } };
        _requests.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }
}
