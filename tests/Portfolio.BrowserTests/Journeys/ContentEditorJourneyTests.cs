using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages.Backoffice;

namespace Portfolio.BrowserTests.Journeys;

/// <summary>The content editor on the shared app: what only a real browser shows (dialogs, roles' buttons, a phone).</summary>
public sealed partial class ContentEditorJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task LeavingTheEditorWithUnsavedChangesAsksFirstAndSubmittingTheFormDoesNot()
    {
        var page = await OpenPageAsync();
        await BackofficeAccounts.SignInAsAdministratorAsync(page);
        var editor = await (await ContentTreePage.OpenFromNavigationAsync(page)).OpenItemAsync("Talha");

        // The profile's later sections start closed: the editor opens the one to change.
        await Assertions.Expect(editor.Field("Philosophy")).ToBeHiddenAsync();
        await editor.OpenSectionAsync("Philosophy and principles");
        await editor.Field("Philosophy").FillAsync("Half-typed **thought**");
        var asked = new List<string>();
        var dismissed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Dialog += async (_, dialog) =>
        {
            try
            {
                asked.Add(dialog.Type);
                await dialog.DismissAsync();
            }
            finally
            {
                dismissed.TrySetResult();
            }
        };
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Backoffice" }).GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        // The browser asks before it leaves, and the navigation is called off when the question is dismissed; without
        // a question, the assertion below says so.
        await Task.WhenAny(dismissed.Task, Task.Delay(PageWaits.DefaultTimeout));

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

    [Fact]
    public async Task RollingBackToAnEarlierVersionAndPublishingItRestoresTheOldTextOnThePublicPage()
    {
        // Maya's headline: no other browser test edits her profile.
        const string OldRole = "Backend Lead & Software Architect";
        var newRole = $"Rollback test headline {Guid.NewGuid():N}";
        var page = await OpenPageAsync();
        await BackofficeAccounts.SignInAsNewUserAsync(page, "Editor");
        var editor = await (await ContentTreePage.OpenFromNavigationAsync(page)).OpenItemAsync("Maya Lindqvist");
        await Assertions.Expect(editor.Field("Role")).ToHaveValueAsync(OldRole);
        await editor.Field("Role").FillAsync(newRole);
        await editor.SaveAndPublishAsync();
        var visitor = await OpenPageAsync();
        await visitor.GotoAsync("/team/maya-lindqvist");
        await Assertions.Expect(visitor.Locator(".profile-hero__role")).ToHaveTextAsync(newRole);

        // History: an earlier version, its fields beside the current draft's, then roll back with confirmation.
        await page.GetByRole(AriaRole.Link, new() { Name = "History and rollback" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Compare version \\d+ with the current draft$") }).First.ClickAsync();
        var comparison = page.Locator("main section").Filter(new() { Has = page.Locator("h2#compare") });
        await Assertions.Expect(comparison).ToContainTextAsync(OldRole);
        await Assertions.Expect(comparison).ToContainTextAsync(newRole);
        await AxeChecker.AssertNoViolationsAsync(page, "the version comparison");
        await page.GetByRole(AriaRole.Link, new() { Name = "Roll back to this version…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Yes, roll back to version \\d+$") }).ClickAsync();
        await Assertions.Expect(page.Locator("main .bo-alert--success")).ToContainTextAsync("draft version");

        // The restored text is a draft: the public page keeps the published headline until it is published.
        await visitor.ReloadAsync();
        await Assertions.Expect(visitor.Locator(".profile-hero__role")).ToHaveTextAsync(newRole);
        await page.Locator("main .bo-alert--success").GetByRole(AriaRole.Link, new() { Name = "Open it in the editor" }).ClickAsync();
        await page.WaitForAddressAsync(url => EditorPath().IsMatch(url.AbsolutePath));
        await Assertions.Expect(editor.Field("Role")).ToHaveValueAsync(OldRole);
        await editor.SaveAndPublishAsync();

        await visitor.ReloadAsync();
        await Assertions.Expect(visitor.Locator(".profile-hero__role")).ToHaveTextAsync(OldRole);
        AssertNoPageProblems("The history page");
    }

    /// <summary>The content editor's address, /umbraco/content/{key}: not its history, preview or delete pages below it.</summary>
    [GeneratedRegex("^/umbraco/content/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex EditorPath();
}
