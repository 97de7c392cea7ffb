using System.Text.Json;
using Matryoshka.Conditioning.T5;
using Matryoshka.Models.Inspection;
using Xunit;

namespace Matryoshka.Tests.Models.Inspection;

/// <summary><see cref="ModelInspector"/> and its renderers, called directly.</summary>
public class ModelInspectorTests
{
    private static string Released(string name) => Fixtures.MlMdm("released", name + ".yaml");

    [Fact]
    public void A_released_config_gives_ml_mdm_counts_per_level_without_allocating_weights()
    {
        var report = Assert.IsType<ModelConfigInspection>(ModelInspector.Inspect(Released("cc12m_256x256"), new ModelInspectionOptions { TextEmbeddingDim = 2048 }));

        Assert.Equal(476_613_958, report.Summary.TotalParameters);
        Assert.Equal(889, report.Summary.Tensors.Count);
        Assert.Equal(new[] { 256, 64 }, report.Summary.Plan.Resolutions);
        Assert.Equal(new[] { 15_254_851L, 461_359_107L }, report.Summary.Levels.Select(l => l.Parameters));
        Assert.Equal(2048, report.Summary.Plan.Config.TextEmbeddingDim);
        Assert.NotNull(report.Diffusion);
        Assert.Equal(3 * report.Flops.Forward, report.Flops.TrainingStep);
        Assert.Null(report.TextEncoder);

        var json = new StringWriter();
        InspectionJson.Write(report, json);
        Assert.Equal(476_613_958, JsonDocument.Parse(json.ToString()).RootElement.GetProperty("total_parameters").GetInt64());
    }

    [Fact]
    public void A_t5_encoder_sets_the_text_width_and_adds_its_size_to_the_text()
    {
        var options = new ModelInspectionOptions { TextEncoder = T5EncoderConfig.FlanT5Xl, TextEncoderName = "flan-t5-xl" };
        var report = Assert.IsType<ModelConfigInspection>(ModelInspector.Inspect(Released("cc12m_256x256"), options));
        Assert.Equal(2048, report.Summary.Plan.Config.TextEmbeddingDim);
        Assert.Same(T5EncoderConfig.FlanT5Xl, report.TextEncoder);

        var text = new StringWriter();
        InspectionText.Write(report, text);
        Assert.Contains("text conditioning: width 2048", text.ToString());
        Assert.Contains("text encoder flan-t5-xl: T5 encoder, 24 layers, width 2048", text.ToString());
    }

    [Fact]
    public void A_safetensors_file_gives_its_validated_header_and_the_listing()
    {
        var report = Assert.IsType<SafetensorsInspection>(ModelInspector.Inspect(Fixtures.MlMdm("two_level", "forward.safetensors")));
        Assert.Equal(13, report.Header.Tensors.Count);
        Assert.Equal(17_772, report.Header.TotalElementCount);
        Assert.Equal(71_096, report.Header.DataLength);

        var text = new StringWriter();
        InspectionText.Write(report, text);
        Assert.Contains("totals: 13 tensors, 17,772 elements, 71,096 bytes", text.ToString());
    }

    [Fact]
    public void Missing_unsupported_files_and_bad_options_are_refused_with_typed_exceptions()
    {
        using var temp = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => ModelInspector.Inspect(temp.File("absent.yaml")));
        var unsupported = Assert.Throws<UnsupportedInspectionFileException>(() => ModelInspector.Inspect(temp.Write("weights.bin", [1, 2, 3])));
        Assert.Contains("unsupported file type '.bin'", unsupported.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelInspector.Inspect(Released("cc12m_64x64"), new ModelInspectionOptions { TextLength = 0 }));
        Assert.Throws<ArgumentException>(() => ModelInspector.Inspect(Released("cc12m_64x64"),
            new ModelInspectionOptions { TextEmbeddingDim = 1024, TextEncoder = T5EncoderConfig.FlanT5Xl }));
    }
}
