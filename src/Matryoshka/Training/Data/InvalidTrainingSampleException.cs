namespace Matryoshka.Training.Data;

/// <summary>
/// One training sample cannot be used (a corrupt, truncated, hostile or unreadable file). Batching skips such
/// samples and counts them; the message names the sample and the problem.
/// </summary>
public sealed class InvalidTrainingSampleException : MatryoshkaException
{
    /// <summary>Creates the exception for sample <paramref name="index"/>, described as <paramref name="sampleName"/>.</summary>
    public InvalidTrainingSampleException(int index, string sampleName, string problem)
        : base(Describe(index, sampleName, problem))
    {
        Index = index;
        SampleName = sampleName;
        Problem = problem;
    }

    /// <summary>Creates the exception with the lower-level error that revealed the problem.</summary>
    public InvalidTrainingSampleException(int index, string sampleName, string problem, Exception innerException)
        : base(Describe(index, sampleName, problem), innerException)
    {
        Index = index;
        SampleName = sampleName;
        Problem = problem;
    }

    /// <summary>The dataset index of the sample.</summary>
    public int Index { get; }

    /// <summary>What the sample is, typically its file path (the dataset's <see cref="ITrainingDataset.Describe"/>).</summary>
    public string SampleName { get; }

    /// <summary>The problem alone, without the sample's name.</summary>
    public string Problem { get; }

    /// <summary>
    /// A short, stable name for the kind of problem (e.g. "image corrupt", "caption file too large"), without paths or
    /// numbers, under which a training run counts its skipped samples; <see cref="UnspecifiedCategory"/> unless the
    /// dataset sets it.
    /// </summary>
    public string Category { get; init; } = UnspecifiedCategory;

    /// <summary>The <see cref="Category"/> of a problem the dataset did not classify.</summary>
    public const string UnspecifiedCategory = "sample unreadable";

    private static string Describe(int index, string sampleName, string problem) => $"Training sample {index} ({sampleName}): {problem}";
}
