using Matryoshka.Tests.Support;
using Matryoshka.Training;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Training;

/// <summary>AdamW and the EMA against their textbook formulas evaluated in double precision.</summary>
public sealed class OptimizerArithmeticTests
{
    [Fact]
    public void AdamW_follows_the_decoupled_weight_decay_formula_for_three_steps()
    {
        const double lr = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, decay = 0.1;
        using var scope = NewDisposeScope();
        var start = new[] { 0.5, -1.0, 2.0 };
        var gradients = new[] { new[] { 0.1, -0.2, 0.3 }, new[] { -0.4, 0.5, 0.0 }, new[] { 1.5, 0.25, -2.0 } };
        using var parameter = new Parameter(tensor(start.Select(v => (float)v).ToArray()));
        using var optimizer = new AdamWOptimizer(new[] { parameter }, beta1, beta2, eps, decay);

        var w = (double[])start.Clone();
        var m = new double[3];
        var v = new double[3];
        for (int step = 1; step <= 3; step++)
        {
            parameter.grad = tensor(gradients[step - 1].Select(x => (float)x).ToArray());
            optimizer.Step(lr);
            for (int i = 0; i < 3; i++)
            {
                double g = gradients[step - 1][i];
                w[i] *= 1 - lr * decay;
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(beta1, step));
                double vHat = v[i] / (1 - Math.Pow(beta2, step));
                w[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
            var actual = parameter.data<float>().ToArray();
            for (int i = 0; i < 3; i++) Assert.Equal(w[i], actual[i], 5e-6);
        }
        Assert.Equal(3, optimizer.StepCount);
    }

    [Fact]
    public void Ema_tracks_in_place_weight_changes_and_a_different_model()
    {
        using var scope = NewDisposeScope();
        using var model = TinyTraining.Model();
        using var ema = new EmaModel(model, 0.75);
        var w0 = TinyTraining.Snapshot(model);
        using (no_grad()) foreach (var p in model.parameters()) p.add_(1.0);
        ema.Update(model);
        foreach (var (key, value) in model.named_parameters())
            TensorAssert.Close(w0[key] * 0.75 + value * 0.25, ema.Weights[key], 1e-6, key);

        // A second model (same architecture, other weights): the average now follows that one.
        using var other = TinyTraining.Model();
        var before = ema.Weights.ToDictionary(p => p.Key, p => p.Value.clone());
        ema.Update(other, 0.5);
        foreach (var (key, value) in other.named_parameters())
            TensorAssert.Close(before[key] * 0.5 + value * 0.5, ema.Weights[key], 1e-6, key);
    }
}
