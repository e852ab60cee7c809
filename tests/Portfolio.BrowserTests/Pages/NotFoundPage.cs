using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Pages;

/// <summary>The friendly page a browser gets for an unknown address (status 404).</summary>
public sealed class NotFoundPage(IPage page) : SitePage(page)
{
    public const string UnknownPath = "/this-page-does-not-exist";

    public static async Task<NotFoundPage> OpenAsync(IPage page)
    {
        await GotoAsync(page, UnknownPath, expectedStatus: 404);
        return new NotFoundPage(page);
    }

    public ILocator HomeLink => Main.Locator("a[href='/']");

    public ILocator RobotsMeta => Page.Locator("meta[name='robots']");
}
