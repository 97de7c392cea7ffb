namespace Matryoshka.Training.Checkpoints;

/// <summary>Which of a training checkpoint's two sets of model weights to take.</summary>
public enum CheckpointWeightsKind
{
    /// <summary>The exponential moving average of the weights: what generation uses.</summary>
    Ema,

    /// <summary>The raw trained weights, as the optimizer left them.</summary>
    Trained,
}
