using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Matryoshka.AspNetCore;

/// <summary>Checks a request against the serving limits; returns problem-details errors keyed by field (empty when valid).</summary>
internal static class ImageRequestValidation
{
    public static Dictionary<string, string[]> Validate(ImageRequest request, MatryoshkaServingOptions limits, bool streaming)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [message];

        if (string.IsNullOrWhiteSpace(request.Prompt)) Add("prompt", "A prompt is required.");
        else if (request.Prompt.Length > limits.MaxPromptLength) Add("prompt", $"At most {limits.MaxPromptLength} characters; got {request.Prompt.Length}.");
        if (request.NegativePrompt is { Length: var negative } && negative > limits.MaxPromptLength)
            Add("negativePrompt", $"At most {limits.MaxPromptLength} characters; got {negative}.");
        if (request.Steps is { } steps && (steps < 1 || steps > limits.MaxSteps)) Add("steps", $"Must be in [1, {limits.MaxSteps}]; got {steps}.");
        if (request.GuidanceScale is { } scale && (!double.IsFinite(scale) || scale < 0 || scale > limits.MaxGuidanceScale))
            Add("guidanceScale", $"Must be in [0, {limits.MaxGuidanceScale.ToString(CultureInfo.InvariantCulture)}]; got {scale.ToString(CultureInfo.InvariantCulture)}.");
        if (streaming) return errors;
        int count = request.Count ?? 1;
        if (count < 1 || count > limits.MaxImagesPerRequest) Add("count", $"Must be in [1, {limits.MaxImagesPerRequest}]; got {count}.");
        if (request.ResponseFormat is { } format && format is not ("png" or "json")) Add("responseFormat", $"Must be 'png' or 'json'; got '{Shorten(format)}'.");
        else if (request.ResponseFormat == "png" && count > 1) Add("responseFormat", "'png' returns one image; use 'json' for several.");
        return errors;
    }

    /// <summary>Reads the stream's query; a value that does not parse is an error naming it.</summary>
    public static ImageRequest FromQuery(StreamQuery query, IQueryCollection raw, Dictionary<string, string[]> errors)
    {
        T? Parse<T>(string name, string? text, Func<string, (bool Ok, T Value)> parse) where T : struct
        {
            if (string.IsNullOrEmpty(text)) return null;
            var (ok, value) = parse(text);
            if (!ok) errors[name] = [$"'{Shorten(text)}' is not a valid {name}."];
            return ok ? value : null;
        }
        // Not parameters of the stream, but refused rather than ignored: the caller meant something by them.
        foreach (var postOnly in new[] { "count", "responseFormat" })
            if (raw.ContainsKey(postOnly)) errors[postOnly] = [$"The stream draws one image as server-sent events; leave {postOnly} out."];
        return new ImageRequest
        {
            Prompt = query.Prompt,
            NegativePrompt = query.NegativePrompt,
            Seed = Parse("seed", query.Seed, s => (ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v), v)),
            Steps = Parse("steps", query.Steps, s => (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v), v)),
            GuidanceScale = Parse("guidanceScale", query.GuidanceScale, s => (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v), v)),
        };
    }

    // Never echo a whole hostile value back.
    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
