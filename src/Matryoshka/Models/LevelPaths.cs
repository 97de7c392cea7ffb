namespace Matryoshka.Models;

/// <summary>Which level of a <see cref="NestedUNet"/> a module or state_dict path belongs to.</summary>
public static class LevelPaths
{
    private const string Inner = "inner_unet.";

    /// <summary>
    /// The level index of <paramref name="path"/> (0 the outermost): the number of leading <c>inner_unet.</c>
    /// segments, so <c>conv_in.weight</c> is level 0 and <c>inner_unet.inner_unet.conv_in.weight</c> level 2. The
    /// module path of a wrapped level itself (<c>inner_unet</c>, no trailing dot) counts to the level that holds it.
    /// </summary>
    /// <param name="path">A path as <c>named_modules</c> or <c>state_dict</c> names it; the empty path is level 0.</param>
    public static int LevelOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int level = 0;
        for (int at = 0; path.AsSpan(at).StartsWith(Inner, StringComparison.Ordinal); at += Inner.Length) level++;
        return level;
    }
}
