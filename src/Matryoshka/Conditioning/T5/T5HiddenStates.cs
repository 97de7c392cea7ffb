using static TorchSharp.torch;

namespace Matryoshka.Conditioning.T5;

/// <summary>Hands recorded intermediate hidden states to the caller's dispose scope.</summary>
internal static class T5HiddenStates
{
    /// <summary>Moves the entries from <paramref name="first"/> on (those recorded by this call) out of the current dispose scope.</summary>
    public static void MoveToOuterDisposeScope(IList<Tensor> hiddenStates, int first)
    {
        for (int i = first; i < hiddenStates.Count; i++) hiddenStates[i] = hiddenStates[i].MoveToOuterDisposeScope();
    }
}
