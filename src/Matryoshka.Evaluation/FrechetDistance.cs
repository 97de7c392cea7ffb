using static TorchSharp.torch;

namespace Matryoshka.Evaluation;

/// <summary>
/// The Fréchet distance between Gaussians fitted to two feature sets:
/// ‖μ₁ − μ₂‖² + Tr(Σ₁) + Tr(Σ₂) − 2 Tr((Σ₁^½ Σ₂ Σ₁^½)^½), with unbiased (N − 1) covariances, in float64.
/// Tr((Σ₁Σ₂)^½) is computed as the sum of the square roots of the eigenvalues of the symmetric Σ₁^½ Σ₂ Σ₁^½ (the same
/// eigenvalues as Σ₁Σ₂), with round-off negatives clipped to 0. On Inception features this is FID; on ResNet18
/// features we call it FD-ResNet18.
/// </summary>
public static class FrechetDistance
{
    /// <summary>The distance between <paramref name="a"/> and <paramref name="b"/> (rows are samples; at least 2 each, equal widths).</summary>
    /// <exception cref="FeatureSetException">Too few rows, ragged or different widths, or non-finite values.</exception>
    public static double Compute(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        FeatureSets.SameWidth(FeatureSets.Width(a, nameof(a), 2), FeatureSets.Width(b, nameof(b), 2), nameof(a), nameof(b));
        using var scope = NewDisposeScope();
        var (meanA, covA) = Moments(a);
        var (meanB, covB) = Moments(b);
        var rootA = SymmetricSqrt(covA);
        var middle = rootA.matmul(covB).matmul(rootA);
        var crossTrace = linalg.eigvalsh((middle + middle.mT) / 2).clamp_min(0).sqrt().sum();
        var distance = (meanA - meanB).square().sum() + covA.trace() + covB.trace() - 2 * crossTrace;
        return distance.item<double>();
    }

    private static (Tensor Mean, Tensor Covariance) Moments(IReadOnlyList<float[]> rows)
    {
        var data = tensor(rows.SelectMany(r => r).Select(v => (double)v).ToArray(), new long[] { rows.Count, rows[0].Length }, ScalarType.Float64, CPU);
        var mean = data.mean(new long[] { 0 });
        var centred = data - mean;
        return (mean, centred.mT.matmul(centred) / (rows.Count - 1));
    }

    private static Tensor SymmetricSqrt(Tensor matrix)
    {
        var (values, vectors) = linalg.eigh(matrix);
        return (vectors * values.clamp_min(0).sqrt()).matmul(vectors.mT);
    }
}
