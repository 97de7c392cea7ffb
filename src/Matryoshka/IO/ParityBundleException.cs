namespace Matryoshka.IO;

/// <summary>A parity bundle (a safetensors file of recorded inputs and expected outputs) lacks a tensor or has one of the wrong shape.</summary>
public sealed class ParityBundleException : InvalidFileException
{
    /// <summary>Creates the exception; the message names the bundle and the problem.</summary>
    public ParityBundleException(string path, string problem) : base(path, problem) { }
}
