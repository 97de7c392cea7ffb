namespace Matryoshka.Diagnostics;

/// <summary>One libtorch backend library found next to an application.</summary>
/// <param name="Name">"CPU" or "CUDA".</param>
/// <param name="Path">Full path of the library file (e.g. libtorch_cuda.so).</param>
public sealed record NativeBackend(string Name, string Path);
