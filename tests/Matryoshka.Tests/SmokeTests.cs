using TorchSharp;
using Xunit;
namespace Matryoshka.Tests;
public class SmokeTests
{
    [Fact]
    public void Randn_matches_pytorch_stream()
    {
        var g = new torch.Generator(0);
        var t = torch.randn(new long[] { 1, 2 }, generator: g);
        Assert.Equal(1.5410, t[0, 0].item<float>(), 3);
    }
}
