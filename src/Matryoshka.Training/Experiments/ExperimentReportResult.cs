namespace Matryoshka.Training.Experiments;

/// <summary>What <see cref="ExperimentWorkflow.WriteReport"/> wrote.</summary>
/// <param name="Files">The charts (SVG) and summary.md.</param>
/// <param name="SampleGrids">One SVG per evaluated step with every arm and seed's first samples; empty when none were asked for or found.</param>
/// <param name="Baseline">The arm the others were timed against.</param>
/// <param name="ExperimentFolder">The folder holding results.csv and the run folders the grids were taken from.</param>
public sealed record ExperimentReportResult(IReadOnlyList<string> Files, IReadOnlyList<string> SampleGrids, string Baseline, string ExperimentFolder);
