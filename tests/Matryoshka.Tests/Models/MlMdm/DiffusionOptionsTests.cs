using System.Text.Json.Nodes;
using Matryoshka.Models;
using Matryoshka.Models.MlMdm;
using Matryoshka.Schedules;
using Xunit;

namespace Matryoshka.Tests.Models.MlMdm;

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
}
