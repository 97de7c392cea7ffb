namespace Matryoshka.Benchmarks.Comparison;

/// <summary>What a comparison concluded about one benchmark.</summary>
public enum Verdict
{
    /// <summary>No difference that passes the threshold, the noise floor and the test.</summary>
    Same,

    /// <summary>Faster beyond all three.</summary>
    Improvement,

    /// <summary>Slower beyond all three.</summary>
    Regression,
}
