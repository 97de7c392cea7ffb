namespace Matryoshka.Training.Experiments;

/// <summary>How an <see cref="ExperimentWorkflow.RunAsync"/> call ended.</summary>
/// <param name="Complete">True when every row (of the chosen seed) exists; false when cancelled first (run again to continue).</param>
/// <param name="ResultsPath">The experiment's results.csv.</param>
/// <param name="Rows">Every row in results.csv now, in the order written.</param>
public sealed record ExperimentRunResult(bool Complete, string ResultsPath, IReadOnlyList<ExperimentResult> Rows);
