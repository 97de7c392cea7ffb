using System.Text.Json;
using Matryoshka.Serving.Tests.AspNetCore;
using Microsoft.Playwright;

namespace Matryoshka.Serving.Tests.Browser;

/// <summary>The page of samples/WebDemo in a real browser, against the sample served by Kestrel on loopback.</summary>
public sealed class WebDemoPageTests : IAsyncLifetime
{
    private readonly DemoFactory _factory = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private Uri _address = null!;

    /// <summary>Screenshots land here, next to the test assembly (the test run's artifacts).</summary>
    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        _address = _factory.Kestrel();
        (_playwright, _browser) = await Chromium.LaunchAsync();
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await _factory.DisposeAsync();
    }

    private async Task<IPage> PhonePage()
    {
        // An iPhone-sized window: the page must work at 375 px.
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 375, Height = 900 }, DeviceScaleFactor = 2 });
        await page.GotoAsync(_address.ToString());
        return page;
    }

    private static async Task<JsonElement[]> Events(IPage page) =>
        JsonSerializer.Deserialize<JsonElement[]>(await page.EvaluateAsync<string>("JSON.stringify(window.demo.events)"))!;

    [Fact]
    public async Task A_prompt_draws_every_level_step_by_step_then_the_image_and_a_second_run_can_be_cancelled()
    {
        var page = await PhonePage();
        await page.FillAsync("#prompt", "a red apple");
        await page.FillAsync("#seed", "1");
        await page.FillAsync("#steps", "6");
        await page.ClickAsync("#generate");
        await page.Locator("#final").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 120_000 });

        var events = await Events(page);
        var types = events.Select(e => e.GetProperty("type").GetString()!).ToArray();
        Assert.Equal(["started", "preview", "preview", "preview", "preview", "preview", "preview", "done"], types);
        // Before the final image, every step brought a preview of every level (64² and 16²).
        foreach (var preview in events.Where(e => e.GetProperty("type").GetString() == "preview"))
            Assert.Equal([64, 16], preview.GetProperty("sizes").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal("6", await page.GetAttributeAsync("#levels img[data-size='16']", "data-step"));
        Assert.Equal("6", await page.GetAttributeAsync("#levels img[data-size='64']", "data-step"));
        Assert.StartsWith("data:image/png;base64,", await page.GetAttributeAsync("#download", "href"));
        Assert.Equal("matryoshka-1.png", await page.GetAttributeAsync("#download", "download"));
        Assert.Equal("Done.", await page.TextContentAsync("#status"));
        // Nothing wider than the phone's screen.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 375 px");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "webdemo-done.png"), FullPage = true });

        // A long second run, photographed mid-generation, then cancelled: the server frees the slot.
        await page.FillAsync("#prompt", "a smiling cat");
        await page.FillAsync("#seed", "3");
        await page.FillAsync("#steps", "100");
        await page.ClickAsync("#generate");
        await page.WaitForFunctionAsync("window.demo.events.filter(e => e.type === 'preview').length >= 30", null, new PageWaitForFunctionOptions { Timeout = 90_000 });
        await page.Locator("main").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "webdemo-mid-generation.png") });

        // Meanwhile a second visitor waits in line (one slot here) and is shown their place, then gives up.
        var other = await PhonePage();
        await other.FillAsync("#prompt", "a dog face");
        await other.ClickAsync("#generate");
        await other.WaitForFunctionAsync("document.getElementById('status').textContent === 'In the queue: position 1.'", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        Assert.Equal(1, _factory.Queue.Waiting);
        await other.ClickAsync("#cancel");
        await other.WaitForFunctionAsync("document.getElementById('status').textContent === 'Cancelled.'", null, new PageWaitForFunctionOptions { Timeout = 10_000 });

        await page.ClickAsync("#cancel");
        await page.WaitForFunctionAsync("document.getElementById('status').textContent === 'Cancelled.'", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        Assert.DoesNotContain(await Events(page), e => e.GetProperty("type").GetString() == "done");
        Assert.True(await page.IsEnabledAsync("#generate"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_factory.Queue.Running + _factory.Queue.Waiting > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal((0, 0), (_factory.Queue.Running, _factory.Queue.Waiting));
    }
}
