using System.Diagnostics.Metrics;
using Matryoshka.Conditioning;
using Matryoshka.Hosting;
using Matryoshka.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Pipelines;

public class HostingTests
{
    private static ServiceProvider Services(Action<MatryoshkaPipelineOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddMatryoshka("fixture", configure);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Keyed_pipeline_is_built_from_options_and_generates()
    {
        using var provider = Services(o =>
        {
            o.ModelConfigPath = Fixtures.MlMdm("two_level", "config.json");
            o.WeightsPath = Fixtures.MlMdm("two_level", "weights.safetensors");
            o.Sampler = "dpm++2m";
            o.Steps = 3;
            o.GuidanceScale = 2;
        });
        provider.GetRequiredService<IStartupValidator>().Validate();
        var pipeline = provider.GetRequiredKeyedService<MatryoshkaPipeline>("fixture");
        Assert.Same(pipeline, provider.GetRequiredKeyedService<MatryoshkaPipeline>("fixture"));
        Assert.Equal("dpm++2m", pipeline.Sampler.Name);
        Assert.Equal(3, pipeline.DefaultSteps);

        long steps = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == PipelineMetrics.MeterName) l.EnableMeasurementEvents(instrument); };
        // Only this pipeline's steps (tagged with its DI name): other tests' pipelines may sample meanwhile.
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "matryoshka.sampling.steps" && tags.ToArray().Contains(new KeyValuePair<string, object?>(PipelineMetrics.PipelineTag, "fixture")))
                Interlocked.Add(ref steps, value);
        });
        listener.Start();

        using var scope = NewDisposeScope();
        var text = new TextConditioning(randn(1, 4, 48), ones(1, 4));
        using var result = pipeline.Generate(new GenerationRequest { Conditioning = text, NegativeConditioning = text, Seed = 1 });
        Assert.Equal(new long[] { 1, 3, 32, 32 }, result.Images.shape);
        Assert.Equal(3, Interlocked.Read(ref steps));
    }

    [Fact]
    public void Invalid_options_fail_at_start_listing_every_problem()
    {
        using var provider = Services(o =>
        {
            o.ModelConfigPath = "/nowhere/model.yaml";
            o.WeightsPath = "";
            o.Sampler = "euler";
            o.Steps = 0;
        });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(error.Failures, f => f.Contains("ModelConfigPath"));
        Assert.Contains(error.Failures, f => f.Contains("WeightsPath"));
        Assert.Contains(error.Failures, f => f.Contains("euler"));
        Assert.Contains(error.Failures, f => f.Contains("Steps"));
    }

    [Fact]
    public void A_model_folder_gives_its_manifest_settings_and_explicit_options_override_them()
    {
        using var folder = new ManifestFolder();
        using var provider = Services(o => { o.ModelFolder = folder.Path; o.Steps = 2; });
        provider.GetRequiredService<IStartupValidator>().Validate();
        var pipeline = provider.GetRequiredKeyedService<MatryoshkaPipeline>("fixture");

        Assert.Equal("ddpm", pipeline.Sampler.Name);   // from the manifest
        Assert.Equal(2, pipeline.DefaultSteps);        // from the options
        Assert.Equal(PixelConvention.Standard, pipeline.Pixels);
        using var result = pipeline.Generate(new GenerationRequest("ab") { Seed = 1 });
        Assert.Equal(2, result.Steps);
    }

    // Used to pass ValidateOnStart and fail only at the first resolve.
    [Fact]
    public void A_model_folder_whose_encoder_width_differs_from_the_weights_fails_at_start_naming_both_numbers()
    {
        using var folder = new ManifestFolder(m => m["text_encoder"]!["width"] = 384);
        using var provider = Services(o => o.ModelFolder = folder.Path);
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(error.Failures, f => f.Contains("text_encoder.width is 384") && f.Contains("trained on width 48"));
    }
}
