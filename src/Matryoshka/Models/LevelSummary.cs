namespace Matryoshka.Models;

/// <summary>The size of one level of a model, not counting the levels nested inside it.</summary>
public sealed record LevelSummary
{
    /// <summary>The level's resolved plan (resolution, widths, which layers it owns).</summary>
    public required LevelPlan Level { get; init; }

    /// <summary>Parameters of this level alone, including its <c>in_adapter</c>/<c>out_adapter</c> (as ml-mdm counts them per level).</summary>
    public required long Parameters { get; init; }

    /// <summary>state_dict tensors of this level alone.</summary>
    public required int Tensors { get; init; }
}
