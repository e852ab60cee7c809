using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portfolio.BrowserTests.Backoffice;

/// <summary>Getting into the backoffice in a real browser: invitations, what each role sees, and lockout.</summary>
public sealed class SignInTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task AnInvitedWriterSignsInAndSeesNoUserManagement()
    {
        var page = await OpenPageAsync();

        await BackofficeAccounts.SignInAsNewUserAsync(page, "Writer");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true })).ToHaveCountAsync(0);
        await AxeChecker.AssertNoViolationsAsync(page, "the dashboard as a Writer");

        var response = await page.GotoAsync("/umbraco/users");
        Assert.Equal("/umbraco/access-denied", new Uri(page.Url).AbsolutePath);
        Assert.Equal(403, response!.Status);
        AssertNoPageProblems("Signing in as a Writer");
    }

    [Fact]
    public async Task ALockedOutUserStaysOutEvenWithTheRightPassword()
    {
        var adminPage = await OpenPageAsync();
        await BackofficeAccounts.SignInAsAdministratorAsync(adminPage);
        var email = await BackofficeAccounts.InviteAsync(adminPage, "Editor");

        var page = await OpenPageAsync();
        await page.GotoAsync("/umbraco/login");
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await SignInExpectingRefusalAsync(page, email, $"not the password {attempt}");
        }

        await SignInExpectingRefusalAsync(page, email, BackofficeAccounts.Password);
        Assert.Equal("/umbraco/login", new Uri(page.Url).AbsolutePath);
        await AxeChecker.AssertNoViolationsAsync(page, "the sign-in page with an error");

        var dashboard = await page.GotoAsync("/umbraco");
        Assert.StartsWith("/umbraco/login", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(200, dashboard!.Status);
    }

    /// <summary>Posts the sign-in form and waits for the answer: the sign-in page again, with its error.</summary>
    private static async Task SignInExpectingRefusalAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        // The answer is the sign-in page again: wait for that new document, not the one posted from, which may show
        // the previous refusal's alert and would take the next attempt's typing.
        var response = await page.RunAndWaitForNextDocumentAsync(() => page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            candidate => candidate.Request.Method == "POST" && new Uri(candidate.Url).AbsolutePath == "/umbraco/login"));
        Assert.Equal(200, response.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
    }
}
