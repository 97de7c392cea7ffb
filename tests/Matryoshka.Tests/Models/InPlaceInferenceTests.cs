using Matryoshka.Models;
using Matryoshka.Tests.Training;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Models;

/// <summary>
/// Without gradients a ResNet overwrites its fresh intermediate tensors instead of allocating new ones; the operations
/// and their order are unchanged, so sampling computes exactly what a forward pass with gradients computes (below
/// 128², where the layout is NCHW in both).
/// </summary>
public sealed class InPlaceInferenceTests
{
    [Fact]
    public void A_forward_pass_without_gradients_equals_one_with_gradients_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        using var model = new NestedUNet(TinyTraining.Config(), CPU, ScalarType.Float32);
        var generator = new Generator(5);
        using (no_grad())
            foreach (var p in model.parameters()) p.copy_(randn(p.shape, generator: generator) * 0.2);
        var noisy = new[] { randn(new long[] { 2, 3, 16, 16 }, generator: generator), randn(new long[] { 2, 3, 8, 8 }, generator: generator) };
        var timesteps = tensor(new long[] { 10, 900 });
        var text = TinyTraining.Text(2, 3);

        var withGradients = model.Forward(noisy, timesteps, text.Embeddings, text.Mask);
        Tensor[] inference;
        using (inference_mode()) inference = model.Forward(noisy, timesteps, text.Embeddings, text.Mask);

        for (int level = 0; level < withGradients.Length; level++)
            Assert.True(withGradients[level].detach().Identical(inference[level]), $"level {level} differs");
    }
}
