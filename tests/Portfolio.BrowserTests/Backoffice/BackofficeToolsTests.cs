using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages.Backoffice;

namespace Portfolio.BrowserTests.Backoffice;

/// <summary>
/// Issue 15's backoffice tools as an administrator uses them, on a phone and a desktop, each checked with axe: the search
/// in the top bar, the profile editor's sections, and the webhooks page with a refused endpoint.
/// </summary>
public sealed class BackofficeToolsTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData("phone")]
    [InlineData("desktop")]
    public async Task AnAdministratorSearchesFromTheTopBarOpensAProfilesSectionAndIsToldWhyAWebhookEndpointIsRefused(string viewport)
    {
        var page = await OpenPageAsync(Viewport.Named(viewport));
        await BackofficeAccounts.SignInAsAdministratorAsync(page);

        // The search form is in the top bar of every backoffice page; Enter submits it.
        var box = page.Locator("header").GetByRole(AriaRole.Searchbox, new() { Name = "Search the backoffice" });
        await box.FillAsync("talha");
        await box.PressAsync("Enter");
        await page.WaitForAddressAsync(url => url.AbsolutePath == "/umbraco/search");
        var found = page.Locator("section[aria-labelledby='found-content']").GetByRole(AriaRole.Link, new() { Name = "Talha", Exact = true });
        await Assertions.Expect(found.First).ToBeVisibleAsync();
        await AxeChecker.AssertNoViolationsAsync(page, $"the backoffice search results at {viewport} width");
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"),
            "The search results are wider than the screen.");

        // The profile opens with its first section; another opens by its summary, from the keyboard.
        await found.First.ClickAsync();
        var editor = new ContentEditorPage(page);
        await Assertions.Expect(editor.Field("Name")).ToBeVisibleAsync();
        await Assertions.Expect(editor.Field("SkillsHeading")).ToBeHiddenAsync();
        var skills = page.Locator("details#group-skills > summary");
        await skills.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(editor.Field("SkillsHeading")).ToHaveValueAsync("Core Arsenal");
        await Assertions.Expect(editor.Field("SkillsHeading")).ToBeVisibleAsync();
        await AxeChecker.AssertNoViolationsAsync(page, $"the profile editor's sections at {viewport} width");

        // A loopback endpoint is refused outside Development, with the reason next to the field. The webhooks ask for the
        // password again first, as user management does.
        await BackofficeAccounts.OpenConfirmingThePasswordAsync(page, "/umbraco/webhooks");
        await AxeChecker.AssertNoViolationsAsync(page, $"the webhooks page at {viewport} width");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Refused endpoint");
        await page.GetByLabel("Endpoint URL").FillAsync("http://127.0.0.1:9/hook");
        await page.Locator("input[name=Events]").First.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook and make its secret" }).ClickAsync();
        await Assertions.Expect(page.Locator("#webhook-url[aria-invalid=true]")).ToBeVisibleAsync();
        await AxeChecker.AssertNoViolationsAsync(page, $"the webhooks page with a refused endpoint at {viewport} width");
        AssertNoPageProblems("the backoffice tools");
    }
}
