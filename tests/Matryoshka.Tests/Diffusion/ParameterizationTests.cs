using Matryoshka.Diffusion;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Diffusion;

/// <summary>Closed-form checks of every ε / v / x₀ conversion, in float64.</summary>
public class ParameterizationTests
{
    private const double Tight = 1e-10;

    public static TheoryData<PredictionType> Types => new() { PredictionType.Epsilon, PredictionType.VPrediction, PredictionType.Sample };

    private static (Tensor X0, Tensor Eps, Tensor AlphaBar, Tensor Xt) Case()
    {
        var g = new Generator(7);
        var x0 = rand(new long[] { 4, 3, 5, 5 }, dtype: ScalarType.Float64, generator: g) * 2 - 1;
        var eps = randn(new long[] { 4, 3, 5, 5 }, dtype: ScalarType.Float64, generator: g);
        var alphaBar = tensor(new[] { 0.9999, 0.7, 0.3, 1e-3 }, dtype: ScalarType.Float64);
        var xt = ForwardProcess.AddNoise(x0, eps, alphaBar);
        return (x0, eps, alphaBar, xt);
    }

    [Fact]
    public void Forward_process_is_sqrt_alpha_bar_weighted_sum()
    {
        using var scope = NewDisposeScope();
        var (x0, eps, _, _) = Case();
        var half = tensor(0.25, dtype: ScalarType.Float64);
        TensorAssert.Close(0.5 * x0 + Math.Sqrt(0.75) * eps, ForwardProcess.AddNoise(x0, eps, half), Tight, "x_t at ᾱ = 1/4");
        TensorAssert.Close(x0, ForwardProcess.AddNoise(x0, eps, ones(4, dtype: ScalarType.Float64)), Tight, "x_t at ᾱ = 1");
        TensorAssert.Close(eps, ForwardProcess.AddNoise(x0, eps, zeros(4, dtype: ScalarType.Float64)), Tight, "x_t at ᾱ = 0");
    }

    [Fact]
    public void V_target_is_sqrt_alpha_bar_eps_minus_sqrt_one_minus_alpha_bar_x0()
    {
        using var scope = NewDisposeScope();
        var (x0, eps, g, _) = Case();
        var gb = g.view(4, 1, 1, 1);
        TensorAssert.Close(gb.sqrt() * eps - (1 - gb).sqrt() * x0, Parameterization.Target(PredictionType.VPrediction, x0, eps, g), Tight, "v");
        TensorAssert.Close(eps, Parameterization.Target(PredictionType.Epsilon, x0, eps, g), 0, "ε target");
        TensorAssert.Close(x0, Parameterization.Target(PredictionType.Sample, x0, eps, g), 0, "x₀ target");
    }

    [Theory, MemberData(nameof(Types))]
    public void Sample_recovered_from_exact_prediction(PredictionType type)
    {
        using var scope = NewDisposeScope();
        var (x0, eps, g, xt) = Case();
        var prediction = Parameterization.Target(type, x0, eps, g);
        TensorAssert.Close(x0, Parameterization.ToSample(type, xt, prediction, g), Tight, $"x₀ from {type}");
        var (sample, noise) = Parameterization.ToSampleAndEpsilon(type, xt, prediction, g);
        TensorAssert.Close(x0, sample, Tight, $"x₀ from {type} (pair)");
        TensorAssert.Close(eps, noise, 1e-9, $"ε from {type} (pair)");
    }

    [Theory, MemberData(nameof(Types))]
    public void Prediction_from_sample_and_xt_equals_target(PredictionType type)
    {
        using var scope = NewDisposeScope();
        var (x0, eps, g, xt) = Case();
        var expected = Parameterization.Target(type, x0, eps, g);
        // ε from (x_t, x₀) divides by √(1−ᾱ), which is 0.01 at ᾱ = 0.9999: error scales by 100.
        TensorAssert.Close(expected, Parameterization.FromSample(type, xt, x0, g), 1e-8, $"{type} from x₀");
    }

    [Theory, MemberData(nameof(Types))]
    public void Conversions_round_trip_between_every_pair(PredictionType from)
    {
        using var scope = NewDisposeScope();
        var (x0, eps, g, xt) = Case();
        var prediction = Parameterization.Target(from, x0, eps, g);
        foreach (var to in new[] { PredictionType.Epsilon, PredictionType.VPrediction, PredictionType.Sample })
        {
            var converted = Parameterization.Convert(from, to, xt, prediction, g);
            TensorAssert.Close(Parameterization.Target(to, x0, eps, g), converted, 1e-8, $"{from} → {to}");
            TensorAssert.Close(prediction, Parameterization.Convert(to, from, xt, converted, g), 1e-8, $"{from} → {to} → {from}");
        }
    }

    [Fact]
    public void Epsilon_from_sample_inverts_the_forward_process()
    {
        using var scope = NewDisposeScope();
        var (x0, eps, g, xt) = Case();
        TensorAssert.Close(eps, Parameterization.EpsilonFromSample(xt, x0, g), 1e-9, "ε");
    }

    [Fact]
    public void Scalar_alpha_bar_broadcasts_like_per_sample()
    {
        using var scope = NewDisposeScope();
        var (x0, eps, _, _) = Case();
        var perSample = Parameterization.Target(PredictionType.VPrediction, x0, eps, full(4, 0.3, dtype: ScalarType.Float64));
        var scalar = Parameterization.Target(PredictionType.VPrediction, x0, eps, tensor(0.3, dtype: ScalarType.Float64));
        TensorAssert.Close(perSample, scalar, 0, "scalar vs per-sample ᾱ");
    }
}
