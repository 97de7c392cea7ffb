namespace Matryoshka.Data.Emoji.Svg;

/// <summary>One icon of an Iconify icon set: an SVG body (the markup inside <c>&lt;svg&gt;</c>) and its view box.</summary>
/// <param name="Name">The icon's name in the set, e.g. <c>red-apple</c>.</param>
/// <param name="Body">The SVG markup without the enclosing <c>&lt;svg&gt;</c> element.</param>
/// <param name="Left">View box left edge.</param>
/// <param name="Top">View box top edge.</param>
/// <param name="Width">View box width (positive).</param>
/// <param name="Height">View box height (positive).</param>
internal sealed record IconifyIcon(string Name, string Body, double Left, double Top, double Width, double Height);
