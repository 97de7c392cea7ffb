namespace Matryoshka.Models.Inspection;

/// <summary>What <see cref="ModelInspector.Inspect"/> found in a file: a <see cref="SafetensorsInspection"/> or a <see cref="ModelConfigInspection"/>.</summary>
/// <param name="Path">The file, as the caller named it.</param>
public abstract record InspectionReport(string Path);
