using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages;

namespace Portfolio.BrowserTests.Layout;

/// <summary>
/// Every page type at phone (375×812) and desktop (1280×900) size, in the light and the dark scheme: no sideways
/// scrolling, no elements drawn over each other, every image with its dimensions (so nothing shifts while it loads), and
/// nothing broken in the console. The visit for the layout checks is shared with AccessibilityTests
/// (<see cref="PageVisit"/>); a failing page is kept as a full-page screenshot in tests/results/screenshots/, and
/// <c>PORTFOLIO_TEST_SCREENSHOTS=1</c> keeps one of every page for people to look at.
/// </summary>
[Collection(PageChecksCollection.Name)]
public sealed class ResponsiveLayoutTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [MemberData(nameof(PageTypes.AllAtEveryViewportInEveryScheme), MemberType = typeof(PageTypes))]
    public async Task EveryPageTypeFitsTheScreenWithoutSidewaysScrollingOverlapsOrImagesWithoutDimensions(
        string pageType, string viewport, string scheme)
    {
        var visit = await PageVisit.OnceAsync(Fixture, pageType, viewport, scheme);

        Assert.True(visit.Overflow <= 0,
            $"The {pageType} page is {visit.Overflow}px wider than the {Viewport.Named(viewport).Width}px screen, so it scrolls sideways (see {visit.Screenshot}).");
        Assert.True(visit.Overlaps.Length == 0,
            $"On the {pageType} page at {viewport} width, elements are drawn over each other (see {visit.Screenshot}):\n{string.Join('\n', visit.Overlaps)}");
        Assert.True(visit.UnsizedImages.Length == 0,
            $"On the {pageType} page, images without width and height shift the page while they load: {string.Join(", ", visit.UnsizedImages)}");
    }

    [Theory]
    [MemberData(nameof(PageTypes.All), MemberType = typeof(PageTypes))]
    public async Task EveryPageTypeLoadsWithoutScriptErrorsCspRefusalsOrBrokenResources(string pageType)
    {
        var page = await OpenPageAsync();

        await PageTypes.OpenAsync(page, pageType);
        await page.WaitForStateAsync(LoadState.NetworkIdle);

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
