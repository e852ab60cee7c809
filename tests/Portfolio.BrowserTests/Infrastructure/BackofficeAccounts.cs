using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>
/// Backoffice users for browser tests, made the way people make them: the shared app starts with an initial
/// administrator from configuration (as an unattended deploy does), and every other user is invited by that
/// administrator through the Users pages and chooses a password through the invitation link.
/// </summary>
public static class BackofficeAccounts
{
    public const string AdministratorEmail = "admin@portfolio-browser-tests.example";

    /// <summary>Long enough for the policy (12+) and on no common-password list.</summary>
    public const string Password = "violet harbour lantern 42";

    /// <summary>The settings the shared app starts with (see <see cref="BrowserFixture"/>).</summary>
    public static IReadOnlyList<string> InitialAdministratorSettings { get; } =
    [
        "--Backoffice:InitialAdmin:Email=" + AdministratorEmail,
        "--Backoffice:InitialAdmin:Password=" + Password,
        "--Backoffice:InitialAdmin:DisplayName=Browser Admin",
    ];

    /// <summary>Signs <paramref name="page"/> in through <c>/umbraco/login</c> and waits for the dashboard.</summary>
    public static async Task SignInAsync(IPage page, string email, string password = Password)
    {
        await page.GotoAsync("/umbraco/login");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.AbsolutePath.TrimEnd('/') == "/umbraco", timeout: TimeSpan.FromSeconds(30));
    }

    /// <summary>Signs <paramref name="page"/> in as the initial administrator.</summary>
    public static Task SignInAsAdministratorAsync(IPage page) => SignInAsync(page, AdministratorEmail);

    /// <summary>
    /// Opens <paramref name="path"/>, a page that asks for the password again when the last confirmation is not recent (user
    /// management, webhooks), and enters the administrator's password when it does.
    /// </summary>
    public static async Task OpenConfirmingThePasswordAsync(IPage adminPage, string path)
    {
        await adminPage.GotoAsync(path);
        if (!new Uri(adminPage.Url).AbsolutePath.StartsWith("/umbraco/confirm-password", StringComparison.Ordinal))
        {
            return;
        }

        await adminPage.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        // The post's own answer, awaited from before the click (once, in the full suite, waiting for the address
        // afterwards timed out with no sign of where the browser went): it must send the browser back to the page.
        var confirmed = await adminPage.RunAndWaitForResponseAsync(
            () => adminPage.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true }).ClickAsync(),
            candidate => candidate.Request.Method == "POST" && candidate.Request.ResourceType == "document", new() { Timeout = 30_000 });
        var location = confirmed.Headers.GetValueOrDefault("location") ?? "";
        Assert.True(confirmed.Status is 302 or 303 && location.Contains(path, StringComparison.Ordinal),
            $"Confirming the administrator's password answered {confirmed.Status} to '{location}'.");
        await adminPage.WaitForAddressAsync(url => url.AbsolutePath == path, timeout: TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Creates a user of <paramref name="role"/> (Administrator, Editor, Writer, Owner): the administrator, signed in
    /// on <paramref name="adminPage"/>, invites them, and the invitation link is opened in a new page of the same
    /// context (the set-password page needs no session) to choose <see cref="Password"/>. Returns the address.
    /// </summary>
    public static async Task<string> InviteAsync(IPage adminPage, string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@portfolio-browser-tests.example";
        await OpenConfirmingThePasswordAsync(adminPage, "/umbraco/users/invite");

        await adminPage.GetByLabel("E-mail address").FillAsync(email);
        await adminPage.GetByLabel("Name (optional)").FillAsync($"Browser {role}");
        await adminPage.Locator($"input[name=Role][value={role}]").CheckAsync();
        await adminPage.GetByRole(AriaRole.Button, new() { Name = "Create user and invitation link" }).ClickAsync();
        var link = (await adminPage.Locator(".bo-secret code").TextContentAsync())?.Trim()
            ?? throw new InvalidOperationException("The invitation page showed no link.");

        var invitee = await adminPage.Context.Browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = adminPage.Url });
        try
        {
            // The link carries the app's own address; keep its path and query on the test's base address.
            var uri = new Uri(link);
            await invitee.GotoAsync(uri.PathAndQuery);
            await invitee.GetByLabel("New password").FillAsync(Password);
            await invitee.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
            // Playwright's own 30 s, as this page (a page of the browser, not of a test's context) had before PageWaits.
            await invitee.WaitForAddressAsync(url => url.AbsolutePath == "/umbraco/login", timeout: TimeSpan.FromSeconds(30));
        }
        finally
        {
            await invitee.Context.CloseAsync();
        }

        return email;
    }

    /// <summary>
    /// A shortcut for tests about one role: signs the administrator in on <paramref name="page"/>, invites a user of
    /// <paramref name="role"/>, signs the administrator out and the new user in. Returns the new user's address.
    /// </summary>
    public static async Task<string> SignInAsNewUserAsync(IPage page, string role)
    {
        await SignInAsAdministratorAsync(page);
        var email = await InviteAsync(page, role);
        await page.Context.ClearCookiesAsync();
        await SignInAsync(page, email);
        return email;
    }
}
