using Matryoshka.Interop.MlMdm;
using Matryoshka.Models;
using Matryoshka.Training;
using Matryoshka.Training.Runs;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

public class ClassConditioningTests
{
    private const int Classes = 3;

    private static ModelConfig Config() => TinyTraining.Config() with { ClassCount = Classes };

    private static Tensor EmbeddingWeights(NestedUNet model) =>
        model.state_dict().Single(p => p.Key.EndsWith("class_embedding.weight", StringComparison.Ordinal)).Value.detach().clone();

    [Fact]
    public void A_label_becomes_its_embedding_row_as_one_real_token()
    {
        using var scope = NewDisposeScope();
        using var model = new NestedUNet(Config());
        var weights = EmbeddingWeights(model);
        Assert.Equal(new long[] { Classes + 1, TinyTraining.TextWidth }, weights.shape);
        Assert.Contains("inner_unet.class_embedding.weight", model.state_dict().Keys);

        var conditioning = model.ClassConditioning(tensor(new long[] { 2, 0, Classes }));
        Assert.Equal(new long[] { 3, 1, TinyTraining.TextWidth }, conditioning.Embeddings.shape);
        Assert.True(conditioning.Embeddings[0, 0].Identical(weights[2]));
        Assert.True(conditioning.Embeddings[2, 0].Identical(weights[Classes]));
        Assert.Equal(3f, conditioning.Mask.sum().item<float>());

        Assert.Throws<ArgumentException>(() => model.ClassConditioning(tensor(new long[] { Classes + 1 })));
        Assert.Throws<ArgumentException>(() => model.ClassConditioning(tensor(new long[] { -1 })));
        using var plain = TinyTraining.Model();
        Assert.Throws<InvalidOperationException>(() => plain.ClassConditioning(tensor(new long[] { 0 })));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Dropout_trains_the_no_class_token_and_only_dropped_samples_reach_it(double dropout)
    {
        using var scope = NewDisposeScope();
        using var model = new NestedUNet(Config());
        var before = EmbeddingWeights(model);
        using var trainer = new Trainer(model, TinyTraining.Schedule(), new TrainerOptions { LearningRate = 1e-2, Seed = 4, ConditioningDropout = dropout });
        var labels = tensor(new long[] { 0, 1, 0, 1 }); // class 2 never appears
        var images = TinyTraining.Images(4, 3);
        // The zero-initialised output layers let gradients reach the embedding only from the second update on.
        for (int i = 0; i < 3; i++) Assert.False(trainer.Step(images, text: null, labels).Skipped);
        var after = EmbeddingWeights(model);

        bool Moved(int row) => !after[row].Identical(before[row]);
        Assert.False(Moved(2));
        Assert.Equal(dropout == 0, Moved(0) && Moved(1));
        Assert.Equal(dropout == 1, Moved(Classes));
        Assert.Equal(dropout == 1, !Moved(0) && !Moved(1));
    }

    [Fact]
    public void Class_models_refuse_text_and_missing_or_out_of_range_labels()
    {
        using var scope = NewDisposeScope();
        using var model = new NestedUNet(Config());
        using var trainer = new Trainer(model, TinyTraining.Schedule(), new TrainerOptions { Seed = 1 });
        var images = TinyTraining.Images(2, 3);
        Assert.Throws<TrainingInputException>(() => trainer.Step(images, TinyTraining.Text(2, 1)));
        Assert.Throws<TrainingInputException>(() => trainer.Step(images, null, tensor(new long[] { 0, Classes })));
        Assert.Throws<TrainingInputException>(() => trainer.Step(images, null, tensor(new long[] { 0 })));
    }

    [Fact]
    public void Growth_carries_the_class_embedding_and_preserves_the_low_resolution_function()
    {
        using var scope = NewDisposeScope();
        using var small = new NestedUNet(ModelStages.Innermost(Config(), 1));
        using (no_grad())
            foreach (var p in small.parameters()) p.copy_(randn_like(p) * 0.1);
        using var grown = ModelGrowth.Grow(small, Config());
        var labels = tensor(new long[] { 1, Classes });
        var t = tensor(new long[] { 50, 900 });
        using var noGrad = no_grad();
        var a = small.ClassConditioning(labels);
        var b = grown.ClassConditioning(labels);
        Assert.True(a.Embeddings.Identical(b.Embeddings));
        var x8 = randn(2, 3, 8, 8);
        var low = small.Forward(new[] { x8 }, t, a.Embeddings, a.Mask)[0];
        var both = grown.Forward(new[] { randn(2, 3, 16, 16), x8 }, t, b.Embeddings, b.Mask);
        Assert.True(both[1].Identical(low));
    }

    [Fact]
    public void Categorical_conditioning_in_an_ml_mdm_config_sets_the_class_count()
    {
        var yaml = """
            sample_image_size: 8
            categorical_conditioning: 10
            text_embedding_dim: 16
            unet_config:
              resolution_channels: [32]
              num_resnets_per_resolution: [1]
              num_attention_layers: [1]
              attention_levels: [0]
              conditioning_feature_proj_dim: 32
              resnet_config: {num_groups_norm: 8}
            """;
        var config = MlMdmModelConfig.FromYaml(yaml);
        Assert.Equal(10, config.ClassCount);
        using var model = new NestedUNet(config);
        Assert.Equal(new long[] { 11, 16 }, EmbeddingWeights(model).shape);
        var error = Assert.Throws<ModelConfigurationException>(() => (config with { TextEmbeddingDim = -1 }).Plan());
        Assert.Contains("text_embedding_dim", error.Message);
    }
}
