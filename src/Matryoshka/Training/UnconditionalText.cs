using Matryoshka.Conditioning;
using static TorchSharp.torch;

namespace Matryoshka.Training;

/// <summary>Conditionings that stand for "no prompt" when training for classifier-free guidance.</summary>
public static class UnconditionalText
{
    /// <summary>
    /// One all-zero token [1, tokens, width] with a mask that marks only the first token as real. The single real
    /// token keeps masked mean pooling defined (an all-zero mask would divide by zero); zero vectors are what
    /// ml-mdm's padding produces, so the "empty prompt" carries no content. The sampler must use the same
    /// conditioning as its negative prompt for guidance to match what was trained.
    /// </summary>
    public static TextConditioning Zeros(int width, int tokens = 1, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        var embeddings = zeros(new long[] { 1, tokens, width }, dtype: dtype, device: device ?? CPU);
        var mask = zeros(new long[] { 1, tokens }, dtype: ScalarType.Float32, device: device ?? CPU);
        mask[0, 0] = tensor(1f);
        return new TextConditioning(embeddings, mask);
    }
}
