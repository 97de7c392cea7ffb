namespace Matryoshka.Models.Blocks;

/// <summary>Settings shared by every ResNet block of one level (ml-mdm <c>ResNetConfig</c>).</summary>
public sealed record ResNetConfig
{
    /// <summary>Number of GroupNorm groups in the ResNet blocks and the output norm (<c>num_groups_norm</c>).</summary>
    public int NumGroupsNorm { get; init; } = 32;

    /// <summary>Dropout probability inside each ResNet block, before its second convolution (<c>dropout</c>).</summary>
    public double Dropout { get; init; }

    /// <summary>Whether every attention block of the level ends with a 4× feed-forward (<c>use_attention_ffn</c>).</summary>
    public bool UseAttentionFfn { get; init; }
}
