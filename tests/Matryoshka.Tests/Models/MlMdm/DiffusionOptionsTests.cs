using System.Text.Json.Nodes;
using Matryoshka.Models;
using Matryoshka.Models.MlMdm;
using Xunit;

namespace Matryoshka.Tests.Models.MlMdm;

/// <summary>
/// The diffusion_config options ml-mdm accepts beyond its released values: each is read with ml-mdm's meaning, or
/// refused where ml-mdm's own code cannot run it.
/// </summary>
public class DiffusionOptionsTests
{
    private static MlMdmDiffusionConfig Read(string diffusionFields, string samplerFields = "")
    {
        var sampler = "\"schedule_type\": \"DEEPFLOYD\", \"num_diffusion_steps\": 1000" + (samplerFields.Length > 0 ? ", " + samplerFields : "");
        var json = "{\"diffusion_config\": {\"sampler_config\": {" + sampler + "}" + (diffusionFields.Length > 0 ? ", " + diffusionFields : "") + "}}";
        return MlMdmDiffusionConfig.FromJson(JsonNode.Parse(json)!.AsObject());
    }

    [Fact]
    public void Vdm_loss_weights_follow_the_flag_and_ml_mdm_default_on()
    {
        Assert.True(Read("\"use_vdm_loss_weights\": true").Loss.VdmWeights);
        Assert.False(Read("\"use_vdm_loss_weights\": false").Loss.VdmWeights);
        // diffusion.py:42-43: DiffusionConfig.use_vdm_loss_weights defaults to True.
        Assert.True(Read("").Loss.VdmWeights);
        Assert.False(MlMdmDiffusionConfig.FromFile(Fixtures.MlMdm("released", "cc12m_256x256.yaml")).Loss.VdmWeights);
    }
}
