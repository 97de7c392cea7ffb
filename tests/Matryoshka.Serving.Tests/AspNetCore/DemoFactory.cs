using Matryoshka.AspNetCore;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Matryoshka.Serving.Tests.AspNetCore;

/// <summary>
/// The web sample (samples/WebDemo) with the embedded model, configured for tests: one generation slot, a short waiting
/// line. <see cref="Kestrel"/> serves it on a real loopback port (for the browser and the load client).
/// </summary>
public class DemoFactory : WebApplicationFactory<Program>
{
    protected virtual void Configure(MatryoshkaServingOptions options)
    {
        options.MaxConcurrentGenerations = 1;
        options.MaxQueueLength = 1;
        options.RequestTimeout = TimeSpan.FromSeconds(60);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureServices(services => services.Configure<MatryoshkaServingOptions>(Configure));
    }

    /// <summary>Serves on 127.0.0.1 with Kestrel and returns the base address.</summary>
    public Uri Kestrel()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1") + "/");
    }

    public GenerationQueue Queue => Services.GetRequiredService<GenerationQueue>();
}

/// <summary>The sample with a one-second deadline.</summary>
public sealed class ShortDeadlineFactory : DemoFactory
{
    protected override void Configure(MatryoshkaServingOptions options)
    {
        base.Configure(options);
        options.RequestTimeout = TimeSpan.FromSeconds(1);
    }
}

/// <summary>The tests that share one <see cref="DemoFactory"/> (one model load).</summary>
[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<DemoFactory>
{
    public const string Name = "demo";
}
