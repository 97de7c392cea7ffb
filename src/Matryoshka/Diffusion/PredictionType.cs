using System.Text.Json.Serialization;

namespace Matryoshka.Diffusion;

/// <summary>What a denoising network predicts. JSON names follow diffusers' <c>prediction_type</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PredictionType>))]
public enum PredictionType
{
    /// <summary>The noise ε. ml-mdm <c>DDPM</c> (and <c>DDIM</c>, which is the same parameterisation).</summary>
    [JsonStringEnumMemberName("epsilon")]
    Epsilon,

    /// <summary>The velocity v = √ᾱ·ε − √(1−ᾱ)·x₀. ml-mdm <c>V_PREDICTION</c>; used by all released MDM models.</summary>
    [JsonStringEnumMemberName("v_prediction")]
    VPrediction,

    /// <summary>The clean image x₀ (diffusers <c>sample</c>; not offered by ml-mdm).</summary>
    [JsonStringEnumMemberName("sample")]
    Sample,
}
