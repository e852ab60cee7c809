using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Pages;

/// <summary>The roster of experts at <c>/team</c>.</summary>
public sealed class TeamPage(IPage page) : SitePage(page)
{
    public static async Task<TeamPage> OpenAsync(IPage page)
    {
        await GotoAsync(page, "/team");
        return new TeamPage(page);
    }

    /// <summary>Links to expert profiles in the page body (not the navigation).</summary>
    public ILocator ProfileLinks => Main.Locator("a[href^='/team/']");

    public ILocator ProfileLink(string slug) => Main.Locator($"a[href='/team/{slug}']");

    public async Task<ProfilePage> OpenProfileAsync(string slug)
    {
        await ProfileLink(slug).First.ClickAsync();
        await ExpectPathAsync($"/team/{slug}");
        return new ProfilePage(Page, slug);
    }
}
