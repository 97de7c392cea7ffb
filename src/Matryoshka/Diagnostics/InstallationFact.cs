namespace Matryoshka.Diagnostics;

/// <summary>One line of the installation report as <c>matryoshka doctor</c> prints it: a label and its value.</summary>
/// <param name="Label">What the fact is about, e.g. <c>TorchSharp</c>, <c>Backend</c>, <c>libstdc++</c>.</param>
/// <param name="Value">The fact; may span several lines (separated by <c>\n</c>). Paths inside the application folder are relative to it.</param>
public sealed record InstallationFact(string Label, string Value);
