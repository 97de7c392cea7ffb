namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// A member of an enum class from the checkpoint's config (for example
/// <c>ml_mdm.samplers.PredictionType.V_PREDICTION</c>), which Python pickles as
/// <c>getattr(EnumClass, "MEMBER")</c>. Kept as names: the class is never loaded.
/// </summary>
/// <param name="TypeName">The enum class as <c>module.name</c>.</param>
/// <param name="MemberName">The member's name.</param>
public sealed record PickledEnumMember(string TypeName, string MemberName)
{
    /// <summary><c>TypeName.MemberName</c>.</summary>
    public override string ToString() => $"{TypeName}.{MemberName}";
}
