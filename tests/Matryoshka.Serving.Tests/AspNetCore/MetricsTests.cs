using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Matryoshka.Pipelines;

namespace Matryoshka.Serving.Tests.AspNetCore;

[Collection(DemoCollection.Name)]
public class MetricsTests(DemoFactory factory)
{
    [Fact]
    public async Task Requests_are_counted_on_the_Matryoshka_meter_by_endpoint_and_outcome()
    {
        var seen = new List<(string Instrument, string? Endpoint, string? Outcome)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PipelineMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            var all = tags.ToArray();
            string? Tag(string key) => all.FirstOrDefault(t => t.Key == key).Value as string;
            lock (seen) seen.Add((instrument.Name, Tag("endpoint"), Tag("outcome")));
        });
        listener.Start();

        var client = factory.CreateClient();
        using var invalid = await client.PostAsJsonAsync("/v1/images", new { prompt = "" });
        using var ok = await client.PostAsJsonAsync("/v1/images", new { prompt = "a red apple", steps = 1 });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        lock (seen)
        {
            Assert.Contains(("matryoshka.serving.requests", "images", "invalid"), seen);
            Assert.Contains(("matryoshka.serving.requests", "images", "ok"), seen);
            // The pipeline's own counter, on the same meter.
            Assert.Contains(seen, m => m.Instrument == "matryoshka.sampling.steps");
        }
    }
}
