using Microsoft.Playwright;

namespace Matryoshka.Serving.Tests.Browser;

/// <summary>
/// Debian's chromium, driven by Playwright (its own browser download is not reachable here; .ci/run installs chromium
/// with apt). MATRYOSHKA_CHROMIUM overrides the path.
/// </summary>
internal static class Chromium
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("MATRYOSHKA_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"No chromium at {ExecutablePath}: install it (apt-get install -y chromium) or set MATRYOSHKA_CHROMIUM.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true });
        return (playwright, browser);
    }
}
