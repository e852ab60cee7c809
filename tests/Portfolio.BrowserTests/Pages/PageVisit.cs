using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;

namespace Portfolio.BrowserTests.Pages;

/// <summary>
/// What one visit to a page type at a screen size and in a colour scheme finds: the layout checks' measurements
/// (ResponsiveLayoutTests) and axe-core's violations (AccessibilityTests). Both tests need the same page opened the
/// same way, so the first of the two to run opens it and takes every measurement, and the other reads them: 52 page
/// visits fewer per run, each a browser context and a page load (about 0.7 s of CPU on the 2-core CI machine). Each test
/// still asserts, and fails, on its own.
/// </summary>
public sealed record PageVisit(
    string Url, string? Screenshot, int Overflow, string[] Overlaps, string[] UnsizedImages, IReadOnlyList<AxeViolation> Violations)
{
    /// <summary>The visit to <paramref name="pageType"/> at <paramref name="viewport"/> in <paramref name="scheme"/>, made once per fixture.</summary>
    public static async Task<PageVisit> OnceAsync(BrowserFixture fixture, string pageType, string viewport, string scheme)
    {
        var tab = await fixture.OnceAsync($"page-visit-tab/{viewport}/{scheme}",
            () => Task.FromResult(new VisitorTab(fixture, Viewport.Named(viewport), PageTypes.Scheme(scheme))));
        return await fixture.OnceAsync($"page-visit/{pageType}/{viewport}/{scheme}", () => tab.VisitAsync(async page =>
        {
            await PageTypes.OpenAsync(page, pageType);
            var name = $"{pageType}-{viewport}-{scheme}";
            var screenshot = await BrowserTest.ScreenshotAsync(page, name);
            var overflow = await LayoutProbe.SidewaysOverflowAsync(page);
            var overlaps = await LayoutProbe.OverlapsAsync(page);
            var unsized = await LayoutProbe.ImagesWithoutDimensionsAsync(page);
            var violations = await AxeChecker.RunAsync(page);
            if (overflow > 0 || overlaps.Length > 0 || unsized.Length > 0 || violations.Count > 0)
            {
                // Something to look at for whoever reads the failure.
                screenshot ??= await BrowserTest.TakeScreenshotAsync(page, name);
            }

            return new PageVisit(page.Url, screenshot, overflow, overlaps, unsized, violations);
        }));
    }

    /// <summary>
    /// One browser tab per screen size and scheme that goes from page type to page type, as a visitor's does, instead of a
    /// fresh context per visit: a new context's first page starts a renderer process and compiles axe-core's 654 KB anew,
    /// while a tab that stays keeps both. Measured with Playwright against the app, 24 visits with axe in Chromium's
    /// headless shell: 16.0–20.3 CPU-seconds with a context each, 8.6–11.8 in one tab (about 0.35 s less a visit, 52
    /// visits a run). The layout and axe checks alone (130 tests, <c>dotnet test --no-build</c>, three runs each, in turn):
    /// 63–67 → 49–52 CPU-seconds, 58–61 → 46–49 s. Cookies are cleared before each visit, so every page is seen as by
    /// someone who has not been to the site (the public pages keep nothing in the browser's storage); the browser's cache
    /// stays, as a visitor's would. A visit that fails leaves its tab behind, and the next one opens a new tab.
    /// </summary>
    private sealed class VisitorTab(BrowserFixture fixture, Viewport viewport, Microsoft.Playwright.ColorScheme scheme)
    {
        private readonly SemaphoreSlim _turn = new(1, 1);
        private IBrowserContext? _context;
        private IPage? _page;

        public async Task<T> VisitAsync<T>(Func<IPage, Task<T>> visit)
        {
            await _turn.WaitAsync();
            try
            {
                _context ??= await fixture.NewContextAsync(viewport, colorScheme: scheme);
                await _context.ClearCookiesAsync();
                if (_page is null)
                {
                    _page = await _context.NewPageAsync();
                    _page.SetDefaultTimeout((float)PageWaits.DefaultTimeout.TotalMilliseconds);
                }

                try
                {
                    return await visit(_page);
                }
                catch
                {
                    await _page.CloseAsync();
                    _page = null;
                    throw;
                }
            }
            finally
            {
                _turn.Release();
            }
        }
    }
}
