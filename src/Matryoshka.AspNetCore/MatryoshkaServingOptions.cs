namespace Matryoshka.AspNetCore;

/// <summary>
/// Limits and defaults of the image endpoints (bindable from configuration, e.g. <c>Matryoshka:Serving</c>), validated
/// when the host starts. Every limit bounds what one client can make the server allocate or compute.
/// </summary>
public sealed class MatryoshkaServingOptions
{
    /// <summary>The pipeline to serve: the name it was registered under with <c>AddMatryoshka</c>. Default <c>default</c>.</summary>
    public string PipelineName { get; set; } = "default";

    /// <summary>Generations at once; default one per two cores (at least 1). libtorch already uses several cores per generation.</summary>
    public int MaxConcurrentGenerations { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Requests that may wait for a slot; more are answered 429 with Retry-After. Default 16.</summary>
    public int MaxQueueLength { get; set; } = 16;

    /// <summary>Deadline of one request, waiting included; past it the sampler stops and the answer is 504. Default 2 minutes.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest prompt (and negative prompt), in characters. Default 500.</summary>
    public int MaxPromptLength { get; set; } = 500;

    /// <summary>Most sampling steps a request may ask for. Default 100.</summary>
    public int MaxSteps { get; set; } = 100;

    /// <summary>Most images one POST may ask for. Default 4.</summary>
    public int MaxImagesPerRequest { get; set; } = 4;

    /// <summary>Largest guidance scale accepted (the smallest is 0). Default 30.</summary>
    public double MaxGuidanceScale { get; set; } = 30;

    /// <summary>Largest request body, in bytes; a larger one is refused with 413 before it is parsed. Default 16 KiB.</summary>
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Load the model when the application starts rather than on the first request. Default true.</summary>
    public bool LoadModelOnStart { get; set; } = true;

    /// <summary>Problems with these options, empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(PipelineName)) problems.Add("PipelineName is required.");
        if (MaxConcurrentGenerations < 1) problems.Add($"MaxConcurrentGenerations must be ≥ 1; got {MaxConcurrentGenerations}.");
        if (MaxQueueLength is < 0 or > 10_000) problems.Add($"MaxQueueLength must be in [0, 10000]; got {MaxQueueLength}.");
        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromHours(1)) problems.Add($"RequestTimeout must be in (0, 1 h]; got {RequestTimeout}.");
        if (MaxPromptLength is < 1 or > 100_000) problems.Add($"MaxPromptLength must be in [1, 100000]; got {MaxPromptLength}.");
        if (MaxSteps is < 1 or > 1000) problems.Add($"MaxSteps must be in [1, 1000]; got {MaxSteps}.");
        if (MaxImagesPerRequest is < 1 or > 64) problems.Add($"MaxImagesPerRequest must be in [1, 64]; got {MaxImagesPerRequest}.");
        if (!double.IsFinite(MaxGuidanceScale) || MaxGuidanceScale < 0) problems.Add($"MaxGuidanceScale must be a finite number ≥ 0; got {MaxGuidanceScale}.");
        if (MaxRequestBodyBytes is < 256 or > 1 << 20) problems.Add($"MaxRequestBodyBytes must be in [256, 1048576]; got {MaxRequestBodyBytes}.");
        return problems;
    }
}
