using System.Text.Json.Serialization;

namespace Matryoshka.Schedules;

/// <summary>How sampling picks its step indices from the N training steps. JSON names follow diffusers' <c>timestep_spacing</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TimestepSpacing>))]
public enum TimestepSpacing
{
    /// <summary>
    /// ml-mdm's <c>set_timesteps</c>: round(i·(N+1)/(n+1)) for i = n…0 (round half to even). The first index is
    /// below N. Called <c>matryoshka_style</c> in diffusers' community MDM pipeline.
    /// </summary>
    [JsonStringEnumMemberName("matryoshka_style")]
    MatryoshkaStyle,

    /// <summary>diffusers <c>linspace</c>: round(linspace(0, N−1, n)), reversed.</summary>
    [JsonStringEnumMemberName("linspace")]
    Linspace,

    /// <summary>diffusers <c>leading</c>: i·(N div n) + steps_offset, reversed.</summary>
    [JsonStringEnumMemberName("leading")]
    Leading,

    /// <summary>diffusers <c>trailing</c>: round(arange(N, 0, −N/n)) − 1.</summary>
    [JsonStringEnumMemberName("trailing")]
    Trailing,
}
