namespace Matryoshka.Diagnostics;

/// <summary>Whether TorchSharp's native libraries can load from an application folder, and if not, why.</summary>
public enum NativeLoadKind
{
    /// <summary>A backend is present, the native shim's version needs are met and the loader accepts it.</summary>
    Healthy,

    /// <summary>No libtorch backend (libtorch_cpu / libtorch_cuda) next to the application.</summary>
    MissingBackend,

    /// <summary>The shim strongly needs GLIBCXX versions that the system's libstdc++ does not define.</summary>
    LibStdCxxTooOld,

    /// <summary>Anything else; the evidence carries the dynamic loader's own message.</summary>
    Other,
}
