using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Pages;

/// <summary>The home page at <c>/</c>.</summary>
public sealed class HomePage(IPage page) : SitePage(page)
{
    public static async Task<HomePage> OpenAsync(IPage page)
    {
        await GotoAsync(page, "/");
        return new HomePage(page);
    }

    /// <summary>Follows the main navigation's "Team" link.</summary>
    public async Task<TeamPage> GoToTeamAsync()
    {
        await MainNavigation.GetByRole(AriaRole.Link, new() { Name = "Team", Exact = true }).ClickAsync();
        await ExpectPathAsync("/team");
        return new TeamPage(Page);
    }
}
