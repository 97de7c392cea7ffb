using Matryoshka.Diagnostics;
using Xunit;

namespace Matryoshka.Tests.Diagnostics;

public class GlibcxxVersionsTests
{
    [Fact]
    public void Newest_compares_numbers_not_text_and_ignores_other_names()
    {
        string[] names = ["GLIBCXX_3.4.9", "GLIBCXX_3.4.30", "GLIBCXX_3.4.4", "CXXABI_1.3.15", "GLIBCXX_DEBUG", "libstdc++.so.6"];

        Assert.Equal("GLIBCXX_3.4.30", GlibcxxVersions.Newest(names));
        Assert.Null(GlibcxxVersions.Newest(["CXXABI_1.3"]));
    }
}
