using Matryoshka.Conditioning.T5;

namespace Matryoshka.Interop.MlMdm.Parity;

/// <summary>The result of replaying a T5 encoder bundle (<see cref="ParityVerifier.VerifyT5Encoder"/>): <c>last_hidden_state</c> against the recording.</summary>
/// <param name="Config">The encoder's config.</param>
/// <param name="TensorsLoaded">How many weight tensors were loaded.</param>
/// <param name="WeightsFile">The weights' file (or folder) name.</param>
/// <param name="Shape">The shape of <c>last_hidden_state</c>.</param>
/// <param name="MaxAbsError">Largest absolute difference.</param>
/// <param name="RelativeError"><paramref name="MaxAbsError"/> over the recording's largest absolute value.</param>
/// <param name="Tolerance">The tolerance it was held to.</param>
public sealed record T5ParityReport(
    T5EncoderConfig Config, int TensorsLoaded, string WeightsFile, IReadOnlyList<long> Shape, double MaxAbsError, double RelativeError, double Tolerance)
{
    /// <summary>Whether the difference is within the tolerance.</summary>
    public bool WithinTolerance => MaxAbsError <= Tolerance;
}
