using Xunit;

namespace Matryoshka.Tests.Diagnostics;

/// <summary>A fact about ELF files and the Linux loader: reported as skipped, not passed, elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "ELF and libstdc++ checks apply to Linux only.";
    }
}

/// <summary>A theory about ELF files and the Linux loader: reported as skipped, not passed, elsewhere.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "ELF and libstdc++ checks apply to Linux only.";
    }
}
