namespace Matryoshka.Models;

/// <summary>
/// An estimate of one training stage's peak memory (see <see cref="TrainingMemory.Estimate"/>): the exact size of the
/// training state plus an analytic estimate of the activations kept for the backward pass.
/// </summary>
/// <param name="Parameters">The model's parameter count.</param>
/// <param name="BatchSize">The micro-batch the activations are estimated for.</param>
/// <param name="StateBytes">Weights, gradients, AdamW moments and EMA (<see cref="TrainingMemory.StateBytes"/>), exact.</param>
/// <param name="ActivationBytes">Activations at <paramref name="BatchSize"/> (<see cref="TrainingMemory.ActivationBytes"/>), an estimate.</param>
public sealed record TrainingMemoryEstimate(long Parameters, int BatchSize, long StateBytes, long ActivationBytes)
{
    /// <summary>State and activations together.</summary>
    public long PeakBytes => checked(StateBytes + ActivationBytes);
}
