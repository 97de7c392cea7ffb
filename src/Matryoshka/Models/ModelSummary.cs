using TorchSharp;
using Matryoshka.IO.Weights;
using static TorchSharp.torch;

namespace Matryoshka.Models;

/// <summary>
/// Parameter counts, state_dict keys and weight sizes of a model config, per level and in total. The model is built
/// on the meta device, which records shapes without allocating storage, so even ml-mdm's 481 M-parameter model is
/// summarised in about a second and a few MB; the counts therefore come from the very code that builds real models.
/// </summary>
public sealed class ModelSummary
{
    private ModelSummary(ModelPlan plan, IReadOnlyList<StateDictEntry> tensors, IReadOnlyList<LevelSummary> levels)
    {
        Plan = plan;
        Tensors = tensors;
        Levels = levels;
        TotalParameters = tensors.Sum(t => t.ElementCount); // LINQ's long Sum is checked
        _ = WeightBytes(ScalarType.Float64); // the widest dtype: every size below fits in 64 bits
    }

    /// <summary>The validated, resolved config.</summary>
    public ModelPlan Plan { get; }

    /// <summary>Every state_dict tensor, in state_dict order (identical to ml-mdm's).</summary>
    public IReadOnlyList<StateDictEntry> Tensors { get; }

    /// <summary>Every level, outermost first, each without the levels nested inside it.</summary>
    public IReadOnlyList<LevelSummary> Levels { get; }

    /// <summary>Total number of parameters (the elements of every state_dict tensor).</summary>
    public long TotalParameters { get; }

    /// <summary>Size of the weights in bytes when stored as <paramref name="dtype"/> (a floating-point type).</summary>
    public long WeightBytes(ScalarType dtype) => checked(TotalParameters * WeightSizes.BytesPerElement(dtype));

    /// <summary>Summarises <paramref name="config"/> without allocating its weights.</summary>
    /// <exception cref="ModelConfigurationException">The config is invalid; the message names the field and value. Also
    /// when a tensor's or the whole model's size does not fit in 64 bits (absurd channel counts).</exception>
    public static ModelSummary Of(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        try
        {
            return Summarise(config);
        }
        catch (Exception e) when (e is OverflowException or System.Runtime.InteropServices.ExternalException)
        {
            // libtorch refuses a meta tensor whose byte size overflows ("Storage size calculation overflowed") with a
            // native stack trace in the message: keep its first line only.
            var cause = e.Message.Split('\n', 2)[0].Trim();
            throw new ModelConfigurationException("unet_config.resolution_channels",
                $"the model's size does not fit in 64 bits ({cause}); the channel counts are far too large");
        }
    }

    private static ModelSummary Summarise(ModelConfig config)
    {
        using var model = new NestedUNet(config, new Device(DeviceType.META));
        var tensors = model.state_dict().Select(p => new StateDictEntry(p.Key, p.Value.shape)).ToArray();
        var plan = model.Plan;
        var perLevel = tensors.GroupBy(t => LevelPaths.LevelOf(t.Key)).ToDictionary(g => g.Key, g => g.ToArray());
        var levels = plan.Levels.Select(level => new LevelSummary
        {
            Level = level,
            Parameters = perLevel.TryGetValue(level.Index, out var own) ? own.Sum(t => t.ElementCount) : 0,
            Tensors = own?.Length ?? 0,
        }).ToArray();
        return new ModelSummary(plan, tensors, levels);
    }
}
