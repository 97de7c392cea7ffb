using System.Text.Json.Nodes;
using Matryoshka.Diffusion;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Sampling;
using Matryoshka.Schedules;
using Xunit;

namespace Matryoshka.Tests.Interop.MlMdm;

/// <summary>ml-mdm's diffusion_config, including the top-level keys its parser drops (applied here).</summary>
public class DiffusionConfigTests
{
    [Fact]
    public void Fixture_configs_map_to_the_settings_their_readmes_state()
    {
        var two = MlMdmDiffusionConfig.FromFile(Fixtures.MlMdm("two_level", "config.json"));
        Assert.Equal(ScheduleKind.SquaredCosCapV2, two.Schedule);
        Assert.Equal(1000, two.TrainSteps);
        Assert.Equal(PredictionType.VPrediction, two.Prediction);
        Assert.Equal(PredictionType.Epsilon, two.Loss.LossTarget);
        Assert.Same(Thresholding.Clip, two.Thresholding);
        Assert.Equal(1, two.ShiftPower);
        Assert.Equal(new[] { 4.0, 1.0 }, two.Loss.LevelWeights);
        Assert.True(two.Loss.LossOnAllLevels);
        Assert.Null(two.Loss.MixedRatio);

        var three = MlMdmDiffusionConfig.FromFile(Fixtures.MlMdm("three_level", "config.json"));
        Assert.Same(Thresholding.DeepFloyd, three.Thresholding);
        Assert.Equal(2, three.ShiftPower);
        Assert.Equal(new[] { 16.0, 4.0, 1.0 }, three.Loss.LevelWeights);
        var schedule = three.CreateSchedule(new[] { 32, 16, 8 });
        Assert.Equal(NoiseSchedules.CosineCapped(1000).ShiftedForScale(4, 2).AlphaBars, schedule.Level(0).AlphaBars);
    }

    [Fact]
    public void Released_yaml_top_level_mixed_ratio_and_weights_take_effect()
    {
        var c64 = MlMdmDiffusionConfig.FromFile(Fixtures.MlMdm("released", "cc12m_64x64.yaml"));
        Assert.Equal(0, c64.ShiftPower);                       // schedule_shifted: False
        Assert.Equal(PredictionType.Epsilon, c64.Loss.LossTarget); // the second diffusion_config block (DDPM) wins

        var c256 = MlMdmDiffusionConfig.FromFile(Fixtures.MlMdm("released", "cc12m_256x256.yaml"));
        Assert.Equal(1, c256.ShiftPower);
        Assert.Equal(new[] { 2.0 / 3.0, 1.0 }, c256.Loss.MixedRatio!.Fractions);

        var c1024 = MlMdmDiffusionConfig.FromFile(Fixtures.MlMdm("released", "cc12m_1024x1024.yaml"));
        Assert.Equal(2, c1024.ShiftPower);
        Assert.Equal(new[] { 16.0, 4.0, 1.0 }, c1024.Loss.LevelWeights);
    }

    [Theory]
    [InlineData("\"no_use_residual\": false", "diffusion_config.no_use_residual")]
    [InlineData("\"mixed_ratio\": \"2:x\"", "mixed_ratio")]
    public void Unsupported_or_invalid_options_are_refused_by_name(string option, string field)
    {
        var root = JsonNode.Parse("{\"diffusion_config\": {\"sampler_config\": {\"schedule_type\": \"DEEPFLOYD\"}, " + option + "}}")!.AsObject();
        var error = Assert.Throws<ModelConfigurationException>(() => MlMdmDiffusionConfig.FromJson(root));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Unknown_schedule_and_prediction_names_are_refused()
    {
        var sigmoid = JsonNode.Parse("""{"diffusion_config": {"sampler_config": {"schedule_type": "SIGMOID"}}}""")!.AsObject();
        Assert.Equal("diffusion_config.sampler_config.schedule_type", Assert.Throws<ModelConfigurationException>(() => MlMdmDiffusionConfig.FromJson(sigmoid)).Field);
        var x0 = JsonNode.Parse("""{"diffusion_config": {"sampler_config": {"prediction_type": "X0"}}}""")!.AsObject();
        Assert.Equal("diffusion_config.sampler_config.prediction_type", Assert.Throws<ModelConfigurationException>(() => MlMdmDiffusionConfig.FromJson(x0)).Field);
    }
}
