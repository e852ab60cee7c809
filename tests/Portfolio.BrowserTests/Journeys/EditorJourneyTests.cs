using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages.Backoffice;

namespace Portfolio.BrowserTests.Journeys;

/// <summary>
/// The backoffice as a new site owner meets it: an app with no administrator (its own process and database,
/// not the shared one), the setup token read from the app's log as an operator would, then an edit that goes
/// through preview to the public page.
/// </summary>
public sealed partial class EditorJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Email = "owner@technext.example";
    private const string Password = "a long passphrase for the backoffice";
    private const string NewHeadline = "Principal Backend Architect (edited in the backoffice)";

    [Fact]
    public async Task FirstRunSetupThenSignInEditTalhasHeadlinePreviewPublishAndThePublicProfileShowsIt()
    {
        await using var database = await TestDatabase.CreateAsync(PortfolioAppProcess.DatabaseProvider);
        await using var app = await PortfolioAppProcess.StartAsync(database);
        var token = (await app.WaitForLogAsync(SetupToken())).Groups["token"].Value;
        var context = await Fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = Viewport.Desktop.Size,
            Locale = "en-GB",
        });
        try
        {
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout((float)PageWaits.DefaultTimeout.TotalMilliseconds);
            var problems = new List<string>();
            page.PageError += (_, error) => problems.Add($"script error on {page.Url}: {error}");
            page.Console += (_, message) =>
            {
                if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                {
                    problems.Add($"console error on {page.Url}: {message.Text}");
                }
            };

            await page.GotoAsync("/umbraco");
            Assert.Equal("/umbraco/setup", new Uri(page.Url).AbsolutePath);
            await new SetupPage(page).CreateAdministratorAsync(token, Email, "Site Owner", Password);
            await new SignInPage(page).SignInAsync(Email, Password);
            // The __Host- session cookie is Secure; Chromium keeps it for http://127.0.0.1 (a secure context), so the
            // sign-in above only lands on the dashboard because the cookie was stored and sent back.
            Assert.Contains((await context.CookiesAsync()), cookie => cookie.Name.StartsWith("__Host-", StringComparison.Ordinal) && cookie.Secure);

            var tree = await ContentTreePage.OpenFromNavigationAsync(page);
            var editor = await tree.OpenItemAsync("Talha");
            await Assertions.Expect(editor.Field("Role")).ToHaveValueAsync("Senior Backend & Systems Architect");
            await AxeChecker.AssertNoViolationsAsync(page, "the content editor");
            await ScreenshotAsync(page, "backoffice-editor");

            await editor.Field("Role").FillAsync(NewHeadline);
            var preview = await editor.SaveAndPreviewAsync();
            await Assertions.Expect(preview.Locator(".preview-banner")).ToContainTextAsync("Preview — not published");
            await Assertions.Expect(preview.Locator(".profile-hero__role")).ToHaveTextAsync(NewHeadline);
            await Assertions.Expect(preview.Locator("meta[name=robots]")).ToHaveAttributeAsync("content", "noindex");

            var visitor = await context.Browser!.NewPageAsync(new() { BaseURL = app.BaseAddress.ToString() });
            await visitor.GotoAsync("/team/talha");
            await Assertions.Expect(visitor.Locator(".profile-hero__role")).ToHaveTextAsync("Senior Backend & Systems Architect");

            await preview.GetByRole(AriaRole.Link, new() { Name = "Back to the editor" }).ClickAsync();
            editor = new ContentEditorPage(page);
            await Assertions.Expect(editor.Field("Role")).ToHaveValueAsync(NewHeadline);
            await editor.SaveAndPublishAsync();
            await Assertions.Expect(editor.StatusMessage).ToContainTextAsync("Published");

            await visitor.ReloadAsync();
            await Assertions.Expect(visitor.Locator(".profile-hero__role")).ToHaveTextAsync(NewHeadline);
            await visitor.Context.CloseAsync();
            Assert.True(problems.Count == 0, string.Join('\n', problems));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [GeneratedRegex("No backoffice administrator exists yet.*?(?<token>[0-9A-Z]{4}(-[0-9A-Z]{4}){4})")]
    private static partial Regex SetupToken();
}
