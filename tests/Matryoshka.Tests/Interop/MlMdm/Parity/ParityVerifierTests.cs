using Matryoshka.IO;
using Matryoshka.Interop.MlMdm.Parity;
using Matryoshka.Sampling;
using Matryoshka.Tests.Conditioning.T5;
using Xunit;

namespace Matryoshka.Tests.Interop.MlMdm.Parity;

/// <summary><see cref="ParityVerifier"/> on the ml-mdm and transformers fixtures, called directly.</summary>
public class ParityVerifierTests
{
    private static string TwoLevel(string file) => Fixtures.MlMdm("two_level", file);

    [Fact]
    public void A_forward_bundle_replays_every_level_within_float32_noise()
    {
        var report = ParityVerifier.VerifyModel(TwoLevel("config.json"), TwoLevel("weights.safetensors"), TwoLevel("forward.safetensors"),
            new ParityOptions { Tolerance = 1e-5 });

        Assert.True(report.WithinTolerance);
        Assert.Null(report.Sampling);
        Assert.Equal(2, report.Levels.Count);
        Assert.Equal(report.Resolutions.Select(r => (long)r), report.Levels.Select(l => l.Resolution));
        Assert.Equal("weights.safetensors", report.WeightsFile);
        Assert.True(report.TensorsLoaded > 0);
        Assert.All(report.Levels, level => Assert.InRange(level.MaxAbsError, 0, 1e-5));
        Assert.All(report.Levels, level => Assert.Null(level.StepsMaxAbsError));

        var tight = ParityVerifier.VerifyModel(TwoLevel("config.json"), TwoLevel("weights.safetensors"), TwoLevel("forward.safetensors"),
            new ParityOptions { Tolerance = 1e-9 });
        Assert.False(tight.WithinTolerance);
    }

    [Fact]
    public void A_sampling_bundle_replays_the_run_and_every_recorded_step()
    {
        var options = new ParityOptions { Tolerance = 1e-5, Sampler = "ddim", Steps = 5, Guidance = 3 };
        var report = ParityVerifier.VerifyModel(TwoLevel("config.json"), TwoLevel("weights.safetensors"), TwoLevel("sample_ddim.safetensors"), options);

        Assert.True(report.WithinTolerance);
        Assert.Equal(new SamplingParity("ddim(eta=0)", 5, 3, ThresholdingKind.Clip), report.Sampling); // the config's threshold_function
        Assert.All(report.Levels, level => Assert.InRange(level.StepsMaxAbsError!.Value, 0, 1e-5));

        var text = new StringWriter();
        ParityText.Write(report, text);
        Assert.Contains("sampling ddim(eta=0), 5 steps, guidance 3, thresholding Clip", text.ToString());
        Assert.EndsWith("within tolerance 1E-05" + Environment.NewLine, text.ToString());

        Assert.Throws<ParityBundleException>(() => ParityVerifier.VerifyModel(TwoLevel("config.json"), TwoLevel("weights.safetensors"),
            TwoLevel("sample_ddim.safetensors"), options with { Steps = 7 }));
    }

    [Fact]
    public void A_t5_encoder_bundle_compares_last_hidden_state()
    {
        var report = ParityVerifier.VerifyT5Encoder(T5Fixture.ConfigPath, T5Fixture.WeightsPath, T5Fixture.Io("io"), 1e-5);

        Assert.True(report.WithinTolerance);
        Assert.Equal(T5Fixture.Config.ModelDim, report.Config.ModelDim);
        Assert.Equal(3, report.Shape.Count);
        Assert.Equal(report.Config.ModelDim, report.Shape[2]);
        Assert.InRange(report.MaxAbsError, 0, 1e-5);
    }

    [Fact]
    public void A_missing_bundle_or_a_negative_tolerance_is_refused()
    {
        Assert.Throws<ParityBundleException>(() => ParityVerifier.VerifyModel(TwoLevel("config.json"), TwoLevel("weights.safetensors"), TwoLevel("absent.safetensors")));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParityVerifier.VerifyModel(TwoLevel("config.json"), TwoLevel("weights.safetensors"),
            TwoLevel("forward.safetensors"), new ParityOptions { Tolerance = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParityVerifier.VerifyT5Encoder(T5Fixture.ConfigPath, T5Fixture.WeightsPath, T5Fixture.Io("io"), double.NaN));
    }
}
