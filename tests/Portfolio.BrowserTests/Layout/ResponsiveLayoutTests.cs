using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages;

namespace Portfolio.BrowserTests.Layout;

/// <summary>
/// Every page type at phone (375×812) and desktop (1280×900) size, in the light and the dark scheme: a full-page
/// screenshot for people to look at (tests/results/screenshots/), no sideways scrolling, no elements drawn over each
/// other, every image with its dimensions (so nothing shifts while it loads), and nothing broken in the console.
/// </summary>
[Collection(PageChecksCollection.Name)]
public sealed class ResponsiveLayoutTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [MemberData(nameof(PageTypes.AllAtEveryViewportInEveryScheme), MemberType = typeof(PageTypes))]
    public async Task EveryPageTypeFitsTheScreenWithoutSidewaysScrollingOverlapsOrImagesWithoutDimensions(
        string pageType, string viewport, string scheme)
    {
        var size = Viewport.Named(viewport);
        var page = await OpenPageAsync(size, colorScheme: PageTypes.Scheme(scheme));
        await PageTypes.OpenAsync(page, pageType);

        // The screenshot comes first so that it exists to look at when an assertion below fails.
        var screenshot = await ScreenshotAsync(page, $"{pageType}-{viewport}-{scheme}");

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0,
            $"The {pageType} page is {overflow}px wider than the {size.Width}px screen, so it scrolls sideways (see {screenshot}).");

        var overlaps = await LayoutProbe.OverlapsAsync(page);
        Assert.True(overlaps.Length == 0,
            $"On the {pageType} page at {viewport} width, elements are drawn over each other (see {screenshot}):\n{string.Join('\n', overlaps)}");

        var unsized = await LayoutProbe.ImagesWithoutDimensionsAsync(page);
        Assert.True(unsized.Length == 0,
            $"On the {pageType} page, images without width and height shift the page while they load: {string.Join(", ", unsized)}");
    }

    [Theory]
    [MemberData(nameof(PageTypes.All), MemberType = typeof(PageTypes))]
    public async Task EveryPageTypeLoadsWithoutScriptErrorsCspRefusalsOrBrokenResources(string pageType)
    {
        var page = await OpenPageAsync();

        await PageTypes.OpenAsync(page, pageType);
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);

        AssertNoPageProblems($"The {pageType} page");
    }

    [Theory]
    [MemberData(nameof(PageTypes.All), MemberType = typeof(PageTypes))]
    public async Task EveryPageTypeShowsItsContentWithJavaScriptTurnedOff(string pageType)
    {
        var page = await OpenPageAsync(Viewport.Desktop, javaScriptEnabled: false);

        await PageTypes.OpenAsync(page, pageType);

        var heading = (await new HomePage(page).MainHeading.First.TextContentAsync())?.Trim();
        Assert.False(string.IsNullOrEmpty(heading), $"The {pageType} page has no main heading without JavaScript.");
    }
}
