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
    /// <summary>
    /// The visit to <paramref name="pageType"/> at <paramref name="viewport"/> in <paramref name="scheme"/>, made once per
    /// fixture: <paramref name="openPage"/> (the calling test's, so the test closes what it opened) gives the fresh page.
    /// </summary>
    public static Task<PageVisit> OnceAsync(
        BrowserFixture fixture, string pageType, string viewport, string scheme, Func<Viewport, ColorScheme, Task<IPage>> openPage) =>
        fixture.OnceAsync($"page-visit/{pageType}/{viewport}/{scheme}", async () =>
        {
            var page = await openPage(Viewport.Named(viewport), PageTypes.Scheme(scheme));
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
        });
}
