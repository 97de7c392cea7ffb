namespace Matryoshka.Runtime;

/// <summary>What <see cref="CpuThreading.PrepareOpenMp"/> did.</summary>
/// <param name="Requested">The policy asked for.</param>
/// <param name="Effective">The <c>OMP_WAIT_POLICY</c> value OpenMP reads (or has read), null when unset.</param>
/// <param name="Applied">Whether this call set it.</param>
/// <param name="Explanation">One line saying what happened and why.</param>
public sealed record OpenMpSetup(OpenMpWaitPolicy Requested, string? Effective, bool Applied, string Explanation)
{
    /// <inheritdoc/>
    public override string ToString() => $"OMP_WAIT_POLICY {Effective ?? "not set"}: {Explanation}";
}
