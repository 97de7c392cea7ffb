using Matryoshka.Conditioning;
using Matryoshka.Guidance;
using Matryoshka.IO.Configuration;
using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Models;

/// <summary>
/// ml-mdm's <c>model_output_scale</c> s: the single-UNet pipeline's model returns s·tanh(out/s) (diffusion.py:85-86), in
/// training and sampling alike, before classifier-free guidance combines the two branches.
/// </summary>
public class OutputScaleTests
{
    private const double Scale = 0.05;

    private static NestedUNet Model(double outputScale) =>
        ForwardParityTests.BuildWithWeights(MlMdmFixture.Open("two_level"), config => config with { OutputScale = outputScale });

    [Fact]
    public void Every_output_is_s_tanh_of_the_unscaled_output_over_s()
    {
        using var plain = Model(0);
        using var bounded = Model(Scale);
        using var scope = NewDisposeScope();
        var tensors = MlMdmFixture.Open("two_level").Load("forward.safetensors");
        var inputs = new[] { tensors["x_t.0"], tensors["x_t.1"] };
        using var inference = inference_mode();

        var expected = plain.Forward(inputs, tensors["t"], tensors["lm_outputs"], tensors["lm_mask"]);
        var actual = bounded.Forward(inputs, tensors["t"], tensors["lm_outputs"], tensors["lm_mask"]);

        for (int l = 0; l < 2; l++)
        {
            Assert.True(expected[l].abs().max().item<float>() > 10 * Scale, "the unscaled output should exceed the bound");
            TensorAssert.Close((expected[l] / Scale).tanh() * Scale, actual[l], 1e-7, $"level {l}");
            Assert.True(actual[l].abs().max().item<float>() <= (float)Scale, $"level {l} exceeds ±s");
        }
    }

    [Fact]
    public void Guidance_combines_the_bounded_branches_as_ml_mdm_does()
    {
        using var bounded = Model(Scale);
        using var scope = NewDisposeScope();
        var tensors = MlMdmFixture.Open("two_level").Load("forward.safetensors");
        var inputs = new[] { tensors["x_t.0"], tensors["x_t.1"] };
        var conditional = new TextConditioning(tensors["lm_outputs"], tensors["lm_mask"]);
        var unconditional = new TextConditioning(zeros_like(tensors["lm_outputs"]), tensors["lm_mask"]);
        using var inference = inference_mode();

        var guided = ClassifierFreeGuidance.Wrap(bounded, conditional, unconditional, 7.5)(inputs, tensors["t"]);
        var c = bounded.Forward(inputs, tensors["t"], conditional.Embeddings, conditional.Mask);
        var u = bounded.Forward(inputs, tensors["t"], unconditional.Embeddings, unconditional.Mask);

        // forward_model: the model (with its tanh) runs on the doubled batch, then p_u + w·(p_c − p_u). The doubled
        // batch's float32 sums differ from single calls by ~1e-6, which the scale 7.5 amplifies.
        for (int l = 0; l < 2; l++)
            TensorAssert.Close(u[l] + 7.5 * (c[l] - u[l]), guided[l], 2e-5, $"level {l}");
        Assert.True(guided[0].abs().max().item<float>() > Scale, "guidance after the tanh may leave ±s");
    }

    [Fact]
    public void The_reader_applies_model_output_scale_to_a_single_unet_only()
    {
        var yaml = File.ReadAllText(Fixtures.MlMdm("released", "cc12m_64x64.yaml")).Replace("model_output_scale: 0.0", "model_output_scale: 0.1");
        Assert.Equal(0.1, MlMdmModelConfig.FromYaml(yaml, 64).OutputScale);
        Assert.Equal(0, MlMdmModelConfig.FromYamlFile(Fixtures.MlMdm("released", "cc12m_64x64.yaml"), 64).OutputScale);

        // NestedModel.forward never applies it (diffusion.py:252-292): loads, changes nothing, and says so.
        var nested = File.ReadAllText(Fixtures.MlMdm("released", "cc12m_256x256.yaml")).Replace("model_output_scale: 0", "model_output_scale: 0.1");
        Assert.Equal(0, MlMdmModelConfig.FromYaml(nested, 64).OutputScale);
        var diffusion = MlMdmDiffusionConfig.FromJson(YamlConfigReader.Read(nested, "YAML config"));
        Assert.Equal(0.1, diffusion.ModelOutputScale);
        Assert.Contains(diffusion.InertOptions, o => o.Field == "diffusion_config.model_output_scale");
    }
}
