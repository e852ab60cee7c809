using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages.Backoffice;

namespace Portfolio.BrowserTests.Journeys;

/// <summary>Issue 15's journeys: a visitor finds an article through the header's search; an editor deletes and restores a service.</summary>
public sealed class SearchAndRecycleBinJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData("phone", true)]
    [InlineData("desktop", true)]
    [InlineData("phone", false)]
    public async Task AVisitorFindsAnArticleThroughTheHeadersSearch(string viewport, bool javaScript)
    {
        var page = await OpenPageAsync(Viewport.Named(viewport), javaScriptEnabled: javaScript);
        await page.GotoAsync("/");

        await page.Locator("header details.site-search > summary").ClickAsync();
        var box = page.GetByRole(AriaRole.Search).GetByRole(AriaRole.Searchbox, new() { Name = "Search the site" });
        await box.FillAsync("scaling teams");
        await box.PressAsync("Enter");
        await page.WaitForAddressAsync(url => url.AbsolutePath == "/search");

        var results = page.Locator("main .search-result");
        await Assertions.Expect(results.First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main .search-result mark").First).ToBeVisibleAsync();
        if (javaScript)
        {
            await AxeChecker.AssertNoViolationsAsync(page, $"the search results at {viewport} width");
        }

        if (javaScript)
        {
            // Only in the mobile-emulating context: the one without scripts is a plain desktop browser in a narrow window.
            var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow, "The search results are wider than the screen.");
        }

        await page.Locator("main .search-result__title a", new() { HasText = "Scaling a product" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.AbsolutePath.StartsWith("/articles/", StringComparison.Ordinal));
        AssertNoPageProblems("Searching");
    }

    [Fact]
    public async Task AnEditorDeletesAServiceAndRestoresItFromTheRecycleBin()
    {
        var page = await OpenPageAsync();
        await BackofficeAccounts.SignInAsAdministratorAsync(page);
        await ContentTreePage.OpenFromNavigationAsync(page);

        await page.Locator("section#service li.bo-tree__item", new() { HasText = "SaaS platforms" }).Locator("a[href$='/delete']").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Move “SaaS platforms” to the recycle bin" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.Query.Contains("status=deleted", StringComparison.Ordinal));
        Assert.Equal(404, (await page.APIRequest.GetAsync("/services/saas-platforms")).Status);

        await (await BackofficeMenu.LinkAsync(page, "Recycle bin")).ClickAsync();
        await page.WaitForAddressAsync(url => url.AbsolutePath == "/umbraco/recycle-bin");
        await AxeChecker.AssertNoViolationsAsync(page, "the recycle bin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Restore SaaS platforms" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.Query.Contains("status=restored", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("main [role=status]")).ToContainTextAsync("Restored from the recycle bin");

        await new ContentEditorPage(page).SaveAndPublishAsync();
        Assert.Equal(200, (await page.APIRequest.GetAsync("/services/saas-platforms")).Status);
        AssertNoPageProblems("Deleting and restoring");
    }
}
