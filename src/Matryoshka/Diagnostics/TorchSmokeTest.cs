using TorchSharp;

namespace Matryoshka.Diagnostics;

/// <summary>A computation with a known answer, to prove libtorch does real work and not just load.</summary>
internal static class TorchSmokeTest
{
    private static readonly float[] Left = [1, 2, 3, 4];
    private static readonly float[] Right = [5, 6, 7, 8];
    private static readonly float[] Expected = [19, 22, 43, 50];

    /// <summary>Multiplies two 2×2 matrices on the CPU; small integers, so the result must be exact.</summary>
    /// <returns>Whether the product is right, and a line describing what was computed.</returns>
    public static (bool Passed, string Description) Run()
    {
        using var scope = torch.NewDisposeScope();
        var left = torch.tensor(Left, [2, 2], device: torch.CPU);
        var right = torch.tensor(Right, [2, 2], device: torch.CPU);
        var product = torch.matmul(left, right).data<float>().ToArray();
        var passed = product.SequenceEqual(Expected);
        var description = $"[[1,2],[3,4]] @ [[5,6],[7,8]] = [{Format(product)}] on CPU";
        return (passed, passed ? description + ": OK" : $"{description}, expected [{Format(Expected)}]: WRONG");
    }

    private static string Format(float[] matrix) =>
        matrix.Length == 4 ? $"[{matrix[0]},{matrix[1]}],[{matrix[2]},{matrix[3]}]" : string.Join(",", matrix);
}
