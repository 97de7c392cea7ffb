using System.Diagnostics;
using System.Globalization;
using Matryoshka.AspNetCore;
using Matryoshka.Hosting;
using Matryoshka.Models.Emoji64;
using Matryoshka.Serving.Load;

// Load on loopback: fires requests at a running server (--url) or at one started here on 127.0.0.1 with the embedded
// emoji model and the serving defaults (then it also reports this process's resident memory before and after).
//   dotnet run -c Release --project benchmarks/Matryoshka.Serving.Load -- [--requests 100] [--clients 10] [--steps 20]
//       [--rounds 1] [--max-concurrent N] [--queue N] [--url http://host:port/]
// With --rounds N the requests are fired N times over, and the memory is reported after each round (is it flat?).
var settings = Arguments(args);
int Setting(string name, int fallback) => settings.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
int requests = Setting("requests", 100), clients = Setting("clients", 10), steps = Setting("steps", 20), rounds = Setting("rounds", 1);

WebApplication? server = null;
Uri address;
if (settings.TryGetValue("url", out var url))
{
    address = new Uri(url.EndsWith('/') ? url : url + "/");
}
else
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Services.AddMatryoshka("default", o => o.ModelFolder = Emoji64Model.Folder);
    builder.Services.AddMatryoshkaServing(o =>
    {
        o.MaxConcurrentGenerations = Setting("max-concurrent", o.MaxConcurrentGenerations);
        o.MaxQueueLength = Setting("queue", o.MaxQueueLength);
        o.RequestTimeout = TimeSpan.FromMinutes(10);
    });
    server = builder.Build();
    server.MapMatryoshka();
    await server.StartAsync();
    address = new Uri(server.Urls.First() + "/");
}

Console.WriteLine($"load: {requests} requests from {clients} clients, {steps} steps each, against {address} ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
// One request first, so the figures leave out loading and the first-call costs.
var warmUp = await LoadClient.RunAsync(new LoadOptions(address, Requests: 1, Clients: 1, Steps: steps));
Console.WriteLine($"warm-up: {warmUp.Percentile(0.5).TotalSeconds:F2} s for one image alone");
long before = ResidentBytes();
Console.WriteLine($"memory before: {Memory()}");
LoadResult result = null!;
for (int round = 1; round <= rounds; round++)
{
    result = await LoadClient.RunAsync(new LoadOptions(address, requests, clients, steps));
    Console.WriteLine($"round {round}: statuses {string.Join(", ", result.Statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "no answer" : s.Key)} × {s.Value}"))} (of {requests}; lost: {requests - result.Total})");
    Console.WriteLine($"  latency of the 200s: p50 {result.Percentile(0.5).TotalSeconds:F2} s, p95 {result.Percentile(0.95).TotalSeconds:F2} s, max {result.Percentile(1).TotalSeconds:F2} s");
    Console.WriteLine($"  throughput: {result.ImagesPerSecond:F2} images/s over {result.Elapsed.TotalSeconds:F1} s");
    Console.WriteLine($"  memory after: {Memory()}");
}
GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
Console.WriteLine($"memory after a full GC: {Memory()}");
Console.WriteLine($"resident memory: {before / 1048576} MiB before, {ResidentBytes() / 1048576} MiB at the end");
if (server is not null && MallocArenas.Trim()) Console.WriteLine($"after malloc_trim(0): {Memory()}");
foreach (var failure in result.Failures.Take(5)) Console.WriteLine($"failure: {failure}");
if (server is not null) await server.StopAsync();
return result.Total == requests && result.Failures.Count == 0 && result.Statuses.Keys.All(s => s is 200 or 429) ? 0 : 1;

// Resident memory of this process (the server's, when it runs here), the managed heap and glibc's arenas within it.
string Memory() => server is null
    ? "(the server runs elsewhere)"
    : $"{ResidentBytes() / 1048576} MiB resident, managed heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576} MiB ({(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC)" +
      (MallocArenas.Describe() is { } arenas ? $"; {arenas}" : "");

static long ResidentBytes()
{
    using var process = Process.GetCurrentProcess();
    return process.WorkingSet64;
}

static Dictionary<string, string> Arguments(string[] args)
{
    var values = new Dictionary<string, string>();
    for (int i = 0; i + 1 < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Expected --name value pairs; got '{args[i]}'.");
        values[args[i][2..]] = args[i + 1];
    }
    return values;
}
