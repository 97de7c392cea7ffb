using Matryoshka.Conditioning;
using Xunit;

namespace Matryoshka.Tests.Text;

public class LruCacheTests
{
    [Fact]
    public void Keeps_the_first_value_and_evicts_the_least_recently_used()
    {
        var cache = new LruCache<string, int>(2);
        Assert.Equal(1, cache.GetOrAdd("a", 1));
        Assert.Equal(1, cache.GetOrAdd("a", 99));       // first value stays
        cache.GetOrAdd("b", 2);
        Assert.True(cache.TryGet("a", out _));           // "b" is now the oldest
        cache.GetOrAdd("c", 3);
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("a", out int a) && a == 1);
        Assert.True(cache.TryGet("c", out int c) && c == 3);
        Assert.Equal(2, cache.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LruCache<string, int>(0));
    }
}
