using Matryoshka.Models;

namespace Matryoshka.Training.Runs;

/// <summary>Derives progressive training's stage models from the final model's config.</summary>
public static class ModelStages
{
    /// <summary>
    /// The model made of the innermost <paramref name="levels"/> levels of <paramref name="final"/>: the model that
    /// progressive training trains before growing it into the next level (levels = 1 is the lowest resolution alone).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="levels"/> is not between 1 and the final model's level count.</exception>
    public static ModelConfig Innermost(ModelConfig final, int levels)
    {
        ArgumentNullException.ThrowIfNull(final);
        var plan = final.Plan();
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(levels, plan.Levels.Count);
        int skip = plan.Levels.Count - levels;
        return final with { UNet = plan.Levels[skip].Config, Resolution = plan.Resolutions[skip] };
    }

    /// <summary>One stage model per level count, innermost first: the default progressive recipe for <paramref name="final"/>.</summary>
    public static IReadOnlyList<ModelConfig> All(ModelConfig final)
    {
        ArgumentNullException.ThrowIfNull(final);
        int count = final.Plan().Levels.Count;
        return Enumerable.Range(1, count).Select(levels => Innermost(final, levels)).ToArray();
    }
}
