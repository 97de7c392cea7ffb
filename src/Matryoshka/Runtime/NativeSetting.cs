namespace Matryoshka.Runtime;

/// <summary>What preparing one native environment variable for libtorch did (<see cref="CpuThreading"/>).</summary>
/// <param name="Variable">The variable, e.g. <c>OMP_WAIT_POLICY</c>.</param>
/// <param name="Effective">Its value as native code reads it, null when unset.</param>
/// <param name="Applied">Whether this call set it.</param>
/// <param name="Explanation">One line saying what happened and why.</param>
public sealed record NativeSetting(string Variable, string? Effective, bool Applied, string Explanation)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Variable} {Effective ?? "not set"}: {Explanation}";
}
