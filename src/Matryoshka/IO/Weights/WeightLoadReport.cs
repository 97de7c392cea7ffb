namespace Matryoshka.IO.Weights;

/// <summary>What a weights file held compared with the model: keys the model has but the file lacks, and keys the file has but the model lacks.</summary>
/// <param name="Loaded">Number of tensors copied into the model.</param>
/// <param name="Missing">Model keys absent from the file (left as they were).</param>
/// <param name="Unexpected">File keys the model does not have (ignored).</param>
public sealed record WeightLoadReport(int Loaded, IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected)
{
    /// <summary>Whether the file matched the model exactly.</summary>
    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0;
}

/// <summary>A weights file does not fit the model: keys missing or unexpected (strict loading), or a shape differs.</summary>
public sealed class WeightsMismatchException : MatryoshkaException
{
    /// <summary>Creates the exception; the message lists the offending keys.</summary>
    public WeightsMismatchException(string message, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected) : base(message)
    {
        Missing = missing;
        Unexpected = unexpected;
    }

    /// <summary>Model keys absent from the file.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>File keys the model does not have.</summary>
    public IReadOnlyList<string> Unexpected { get; }
}
