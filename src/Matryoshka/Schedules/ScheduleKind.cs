using System.Text.Json.Serialization;

namespace Matryoshka.Schedules;

/// <summary>
/// The families of base noise schedules. JSON names follow diffusers' <c>beta_schedule</c> where one exists;
/// each member's documentation names the ml-mdm <c>ScheduleType</c> it reproduces.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScheduleKind>))]
public enum ScheduleKind
{
    /// <summary>
    /// Cosine ᾱ with every β capped at 0.999 (Nichol &amp; Dhariwal). ml-mdm <c>DEEPFLOYD</c>, diffusers
    /// <c>squaredcos_cap_v2</c>; used by all released MDM models.
    /// </summary>
    [JsonStringEnumMemberName("squaredcos_cap_v2")]
    SquaredCosCapV2,

    /// <summary>
    /// Cosine interpolation of log-SNR between +5 and −5 (progressive distillation paper). ml-mdm <c>COSINE</c>.
    /// </summary>
    [JsonStringEnumMemberName("cosine_logsnr")]
    CosineLogSnr,

    /// <summary>Linear β from <c>beta_start</c> to <c>beta_end</c> (DDPM). ml-mdm <c>DDPM</c>, diffusers <c>linear</c>.</summary>
    [JsonStringEnumMemberName("linear")]
    Linear,
}
