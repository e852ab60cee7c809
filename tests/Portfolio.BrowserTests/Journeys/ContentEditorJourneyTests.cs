using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages.Backoffice;

namespace Portfolio.BrowserTests.Journeys;

/// <summary>The content editor on the shared app: what only a real browser shows (dialogs, roles' buttons, a phone).</summary>
public sealed class ContentEditorJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task LeavingTheEditorWithUnsavedChangesAsksFirstAndSubmittingTheFormDoesNot()
    {
        var page = await OpenPageAsync();
        await BackofficeAccounts.SignInAsAdministratorAsync(page);
        var editor = await (await ContentTreePage.OpenFromNavigationAsync(page)).OpenItemAsync("Talha");

        await editor.Field("Philosophy").FillAsync("Half-typed **thought**");
        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Type);
            await dialog.DismissAsync();
        };
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Backoffice" }).GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await page.WaitForTimeoutAsync(500);

        Assert.Equal(["beforeunload"], asked);
        Assert.StartsWith("/umbraco/content/", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(editor.Field("Philosophy")).ToHaveValueAsync("Half-typed **thought**");

        // The Markdown preview button posts the form (saving nothing): no warning for that, and the text stays.
        await editor.Form.GetByRole(AriaRole.Button, new() { Name = "Preview Philosophy" }).ClickAsync();
        await Assertions.Expect(page.Locator("#field-Philosophy-preview strong")).ToHaveTextAsync("thought");
        await Assertions.Expect(editor.Field("Philosophy")).ToHaveValueAsync("Half-typed **thought**");
        Assert.Equal(["beforeunload"], asked);
        AssertNoPageProblems("The editor");
    }

    [Fact]
    public async Task AWriterSeesNoPublishingButtonsAndTheEditorWorksOnAPhone()
    {
        var page = await OpenPageAsync(Viewport.Phone);
        await BackofficeAccounts.SignInAsNewUserAsync(page, "Writer");
        var tree = await ContentTreePage.OpenFromNavigationAsync(page);
        await AxeChecker.AssertNoViolationsAsync(page, "the content tree on a phone");
        var editor = await tree.OpenItemAsync("Talha");

        await Assertions.Expect(editor.Button("Save draft")).ToBeVisibleAsync();
        await Assertions.Expect(editor.Form.GetByRole(AriaRole.Button, new() { Name = "Save and publish" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Unpublish now" })).ToHaveCountAsync(0);
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The editor is wider than a 375px phone screen.");
        await AxeChecker.AssertNoViolationsAsync(page, "the content editor on a phone");
        await ScreenshotAsync(page, "backoffice-editor-phone-writer");
        AssertNoPageProblems("The editor for a writer");
    }
}
