using System.Text.Json.Nodes;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Schedules;
using Xunit;

namespace Matryoshka.Tests.Interop.MlMdm;

/// <summary>
/// The diffusion_config options ml-mdm accepts beyond its released values: each is read with ml-mdm's meaning, or
/// refused where ml-mdm's own code cannot run it.
/// </summary>
public class DiffusionOptionsTests
{
    // A single UNet (model: unet) or a nested one, as ml-mdm picks its pipeline.
    private static MlMdmDiffusionConfig Read(string diffusionFields, string samplerFields = "", bool single = false)
    {
        var sampler = "\"schedule_type\": \"DEEPFLOYD\", \"num_diffusion_steps\": 1000" + (samplerFields.Length > 0 ? ", " + samplerFields : "");
        var json = "{\"model\": \"" + (single ? "unet" : "nested_unet") + "\", \"diffusion_config\": {\"sampler_config\": {" + sampler + "}" +
                   (diffusionFields.Length > 0 ? ", " + diffusionFields : "") + "}}";
        return MlMdmDiffusionConfig.FromJson(JsonNode.Parse(json)!.AsObject());
    }

    private static ModelConfigurationException Refused(string diffusionFields, string samplerFields = "", bool single = false) =>
        Assert.Throws<ModelConfigurationException>(() => Read(diffusionFields, samplerFields, single));

    [Fact]
    public void Vdm_loss_weights_follow_the_flag_and_ml_mdm_default_on()
    {
        Assert.True(Read("\"use_vdm_loss_weights\": true").Loss.VdmWeights);
        Assert.False(Read("\"use_vdm_loss_weights\": false").Loss.VdmWeights);
        // diffusion.py:42-43: DiffusionConfig.use_vdm_loss_weights defaults to True.
        Assert.True(Read("").Loss.VdmWeights);
        Assert.False(MlMdmDiffusionConfig.FromFile(Fixtures.MlMdm("released", "cc12m_256x256.yaml")).Loss.VdmWeights);
    }

    [Fact]
    public void Rescale_schedule_above_one_is_refused_with_ml_mdm_crash_site()
    {
        var error = Refused("", "\"rescale_schedule\": 2");
        Assert.Equal("diffusion_config.sampler_config.rescale_schedule", error.Field);
        Assert.Contains("samplers.py:259", error.Problem);
        Assert.Contains("Set rescale_schedule: 1", error.Problem);
        Assert.Equal("diffusion_config.sampler_config.rescale_schedule", Refused("", "\"rescale_schedule\": 1.5", single: true).Field);
    }

    [Theory]
    [InlineData("1.0", false)]
    [InlineData("0.5", true)]
    [InlineData("0", true)]
    public void Rescale_schedule_up_to_one_changes_nothing(string value, bool listedInert)
    {
        var config = Read("", "\"rescale_schedule\": " + value);
        Assert.Equal(NoiseSchedules.CosineCapped(1000).AlphaBars, config.CreateBaseSchedule().AlphaBars);
        Assert.Equal(listedInert, config.InertOptions.Any(o => o.Field.EndsWith("rescale_schedule", StringComparison.Ordinal)));
    }

    [Fact]
    public void Residual_path_is_refused_on_a_nested_model_with_ml_mdm_evidence()
    {
        var error = Refused("\"no_use_residual\": false");
        Assert.Equal("diffusion_config.no_use_residual", error.Field);
        Assert.Contains("diffusion.py:288", error.Problem);
        Assert.Contains("Set no_use_residual: true", error.Problem);
        // A single UNet's pipeline has no residual path: the flag is inert there.
        Assert.Contains(Read("\"no_use_residual\": false", single: true).InertOptions, o => o.Field == "diffusion_config.no_use_residual");
    }

    [Theory]
    [InlineData("use_random_interp")]
    [InlineData("random_downsample")]
    [InlineData("average_downsample")]
    [InlineData("mid_downsample")]
    public void Flags_ml_mdm_never_reads_load_and_change_nothing(string flag)
    {
        var plain = Read("\"use_double_loss\": true");
        var flagged = Read("\"use_double_loss\": true, \"" + flag + "\": true");

        var option = Assert.Single(flagged.InertOptions);
        Assert.Equal("diffusion_config." + flag, option.Field);
        Assert.Contains("diffusion.py:230-248", option.Reason);
        Assert.Equal(plain, flagged with { InertOptions = plain.InertOptions });
        Assert.Empty(Read("\"" + flag + "\": false").InertOptions);
    }

    [Fact]
    public void A_nested_model_without_schedule_shift_divides_each_level_by_its_scale()
    {
        var unshifted = Read("", "\"schedule_shifted\": false, \"rescale_signal\": 3");
        var schedule = unshifted.CreateSchedule(new[] { 32, 16, 8 });
        Assert.Equal(new[] { 4.0, 2.0, 1.0 }, schedule.SignalScales);
        Assert.Equal(0, schedule.ShiftPower);
        Assert.False(unshifted.Loss.TargetsUseUnscaledSignal);
        // NestedSampler passes each level's own scale; rescale_signal is never read (and said so).
        Assert.Contains(unshifted.InertOptions, o => o.Field == "diffusion_config.sampler_config.rescale_signal");
        Assert.Equal(new[] { 2.0, 1.0 }, Read("").CreateSchedule(new[] { 64, 32 }).SignalScales);   // schedule_shifted defaults to false

        var shifted = Read("", "\"schedule_shifted\": true, \"schedule_shifted_power\": 2");
        Assert.Equal(new[] { 1.0, 1.0 }, shifted.CreateSchedule(new[] { 32, 16 }).SignalScales);
        Assert.Equal(2, shifted.CreateSchedule(new[] { 32, 16 }).ShiftPower);
    }

    [Theory]
    [InlineData("\"rescale_signal\": 2", 2.0)]
    [InlineData("\"rescale_signal\": 0.5, \"schedule_shifted\": true", 0.5)]
    [InlineData("\"rescale_signal\": null", 1.0)]
    [InlineData("", 1.0)]
    public void A_single_unet_divides_its_image_by_rescale_signal(string samplerFields, double scale)
    {
        var config = Read("", samplerFields, single: true);
        Assert.Equal(new[] { scale }, config.CreateSchedule(new[] { 64 }).SignalScales);
        Assert.True(config.Loss.TargetsUseUnscaledSignal);   // diffusion.py:163-165 builds the target from the unscaled images
    }

    [Fact]
    public void A_single_unet_with_rescale_signal_zero_samples_only_without_thresholding()
    {
        var error = Refused("", "\"rescale_signal\": 0", single: true);
        Assert.Equal("diffusion_config.sampler_config.rescale_signal", error.Field);
        Assert.Contains("samplers.py:426, 503-507", error.Problem);

        var none = Read("", "\"rescale_signal\": 0, \"threshold_function\": \"NONE\"", single: true);
        Assert.Equal(new[] { 1.0 }, none.CreateSchedule(new[] { 64 }).SignalScales);
        Assert.Contains(none.InertOptions, o => o.Field == "diffusion_config.sampler_config.rescale_signal");
    }
}
