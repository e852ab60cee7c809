using Portfolio.BrowserTests.Infrastructure;
using Xunit.Sdk;

namespace Portfolio.BrowserTests.Journeys;

/// <summary>
/// What the booking and contact journeys share: checking a page state and stubbing the site's scripts; and their collection,
/// the public site as visitors use it.
/// </summary>
[Collection(PublicSiteCollection.Name)]
public abstract class FormJourneyTest(BrowserFixture fixture) : BrowserTest(fixture)
{
    /// <summary>xunit member data: one row per screen size.</summary>
    public static TheoryData<string> Viewports
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var viewport in Viewport.All)
            {
                data.Add(viewport.Name);
            }

            return data;
        }
    }

    /// <summary>
    /// One state of a page as a visitor sees it: no sideways scrolling, no axe-core violation. A failing check keeps a
    /// full-page screenshot (tests/results/screenshots/{name}.png) and names it; <c>PORTFOLIO_TEST_SCREENSHOTS=1</c> keeps
    /// one of every state.
    /// </summary>
    protected static async Task AssertStateIsAccessibleAsync(IPage page, string name, string description)
    {
        var screenshot = await ScreenshotAsync(page, name);
        var overflow = await LayoutProbe.SidewaysOverflowAsync(page);
        if (overflow > 0)
        {
            screenshot ??= await TakeScreenshotAsync(page, name);
            throw new XunitException($"{description} is {overflow}px wider than the screen, so it scrolls sideways (see {screenshot}).");
        }

        var violations = await AxeChecker.RunAsync(page);
        if (violations.Count > 0)
        {
            screenshot ??= await TakeScreenshotAsync(page, name);
        }

        AxeChecker.AssertNone(violations, $"{description} (see {screenshot})", page.Url);
    }

    /// <summary>
    /// Answers the site's own scripts (<c>/js/…</c>) with an empty script, as when they fail to load: the page
    /// runs on its server-rendered markup and the browser's own form checks, while axe (which needs a page with
    /// script running) can still look at it. A context with JavaScript turned off is the real thing, but axe
    /// cannot run there.
    /// </summary>
    protected static Task StubSiteScriptsAsync(IPage page) =>
        page.RouteAsync(url => new Uri(url).AbsolutePath.StartsWith("/js/", StringComparison.Ordinal), route => route.FulfillAsync(new()
        {
            Status = 200,
            ContentType = "text/javascript",
            Body = "// stubbed by the test: the page as it works without its scripts\n",
        }));
}
