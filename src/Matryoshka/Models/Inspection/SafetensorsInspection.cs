using Matryoshka.IO;

namespace Matryoshka.Models.Inspection;

/// <summary>A valid safetensors file: its validated header (tensors, metadata, sizes); no tensor data is read.</summary>
/// <param name="Path">The file, as the caller named it.</param>
/// <param name="Header">The validated header.</param>
public sealed record SafetensorsInspection(string Path, SafetensorsHeader Header) : InspectionReport(Path);
