namespace Matryoshka.Interop.MlMdm.Parity;

/// <summary>How one level of a replayed run compares with the recording.</summary>
/// <param name="Level">The level index (0 = the highest resolution).</param>
/// <param name="Resolution">The level's side in pixels.</param>
/// <param name="MaxAbsError">Largest absolute difference of the (final) output.</param>
/// <param name="RelativeError"><paramref name="MaxAbsError"/> over the recording's largest absolute value.</param>
/// <param name="StepsMaxAbsError">Sampling bundles: largest absolute difference over the recorded intermediate steps; null for forward bundles.</param>
/// <param name="WithinTolerance">Whether both errors are within the tolerance.</param>
public sealed record LevelParity(int Level, long Resolution, double MaxAbsError, double RelativeError, double? StepsMaxAbsError, bool WithinTolerance);
