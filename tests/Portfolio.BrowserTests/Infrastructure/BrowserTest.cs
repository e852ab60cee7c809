using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>
/// Base of every browser test: opens pages in fresh browser contexts of the shared Chromium, records what
/// the page reports as broken (script errors, CSP refusals, failed requests), and closes it all afterwards.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture fixture) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    protected BrowserFixture Fixture { get; } = fixture;

    /// <summary>Console errors, uncaught exceptions and failed or 4xx/5xx subresource requests, in order.</summary>
    protected List<string> PageProblems { get; } = [];

    /// <summary>A page in a fresh context; <paramref name="timeZoneId"/> (IANA) sets the zone the browser reports.</summary>
    protected async Task<IPage> OpenPageAsync(
        Viewport? viewport = null, bool javaScriptEnabled = true, string? timeZoneId = null, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = javaScriptEnabled
            ? await Fixture.NewContextAsync(viewport, timeZoneId, colorScheme)
            : await Fixture.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = Fixture.BaseAddress.ToString(),
                ViewportSize = (viewport ?? Viewport.Desktop).Size,
                JavaScriptEnabled = false,
                TimezoneId = timeZoneId,
                ColorScheme = colorScheme,
            });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)PageWaits.DefaultTimeout.TotalMilliseconds);
        page.Console += (_, message) =>
        {
            // "Failed to load resource" repeats what the Response handler below records (and, for the document
            // itself, would flag the 404 page for being a 404).
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                PageProblems.Add($"console error on {page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => PageProblems.Add($"uncaught script error on {page.Url}: {error}");
        page.RequestFailed += (_, request) => PageProblems.Add($"request failed: {request.Method} {request.Url} ({request.Failure})");
        page.Response += (_, response) =>
        {
            // The document's own status is each test's business (the 404 page is meant to be a 404).
            if (response.Status >= 400 && response.Request.ResourceType != "document")
            {
                PageProblems.Add($"{response.Status} for {response.Request.ResourceType} {response.Url}");
            }
        };
        return page;
    }

    /// <summary>Fails with every recorded problem spelled out (script errors, CSP refusals, broken resources).</summary>
    protected void AssertNoPageProblems(string description) =>
        Assert.True(PageProblems.Count == 0, $"{description} reported problems:\n{string.Join('\n', PageProblems)}");

    /// <summary>
    /// A full-page screenshot at tests/results/screenshots/{name}.png for people to look at (the README's pictures, a
    /// review of every page at both sizes), taken when <c>PORTFOLIO_TEST_SCREENSHOTS=1</c> asks for them; null otherwise.
    /// A full-page PNG costs 0.5–0.7 s of CPU (Chromium's PNG encoder: 0.49 s for a profile on a phone, 0.69 s for the
    /// home page on a desktop; a JPEG still 0.26–0.51 s), and a run took 125 of them, about 70 s of the browser suite's
    /// CPU, for pictures nobody opens after a passing run. A failing check takes its own (<see cref="TakeScreenshotAsync"/>).
    /// </summary>
    protected internal static async Task<string?> ScreenshotAsync(IPage page, string name) =>
        TestPaths.KeepsEveryScreenshot ? await TakeScreenshotAsync(page, name) : null;

    /// <summary>A full-page screenshot at tests/results/screenshots/{name}.png, taken whatever the setting: for a failing check.</summary>
    protected internal static async Task<string> TakeScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(TestPaths.Screenshots);
        var path = Path.Combine(TestPaths.Screenshots, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }
}
