using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;

namespace Portfolio.Tests.Backoffice;

public sealed class FirstRunTests(FirstRunApp app) : IClassFixture<FirstRunApp>
{
    [Fact]
    public async Task WithNoUserUmbracoLeadsToSetupAndTheLoggedTokenCreatesTheFirstAdministratorOnce()
    {
        var browser = app.CreateBrowser();
        var dashboard = await browser.GetAsync("/umbraco");
        Assert.Equal("/umbraco/login?returnUrl=%2Fumbraco", dashboard.Headers.Location?.PathAndQuery());
        var login = await browser.GetAsync("/umbraco/login");
        Assert.Equal("/umbraco/setup", login.Headers.Location?.OriginalString);

        // A wrong token is refused and creates nobody.
        var wrong = await browser.SubmitAsync("/umbraco/setup", Setup("ABCD-EFGH-JKMN-PQRS-TVWX", "mallory@example.com"));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("This setup token is not valid", Html.Parse(await wrong.Content.ReadAsStringAsync()).Text());
        Assert.Equal(0, await UserCountAsync());

        // The token from the log, typed in lower case, works.
        var token = app.Log.SetupToken();
        var created = await browser.SubmitAsync("/umbraco/setup", Setup(token.ToLowerInvariant(), "owner@example.com"));
        Assert.Equal("/umbraco/login?status=setup-done", created.Headers.Location?.OriginalString);
        var signedIn = await browser.SignInAsync("owner@example.com", BackofficeApp.Password);
        Assert.Equal("/umbraco", signedIn.Headers.Location?.OriginalString);
        Assert.Contains("Administrator", (await browser.GetDocumentAsync("/umbraco")).Text());

        // Once an administrator exists, the page is gone and the same token does nothing.
        var anonymous = app.CreateBrowser();
        Assert.Equal("/umbraco/login", (await anonymous.GetAsync("/umbraco/setup")).Headers.Location?.OriginalString);
        var replay = await anonymous.PostFormAsync("/umbraco/setup", new Dictionary<string, string>(Setup(token, "mallory@example.com"))
        {
            ["__RequestVerificationToken"] = await anonymous.AntiforgeryTokenOfLoginAsync(),
        });
        Assert.Equal("/umbraco/login?status=setup-done", replay.Headers.Location?.OriginalString);
        Assert.Equal(1, await UserCountAsync());
        Assert.False(await app.Services.GetRequiredService<BackofficeSetup>().IsPendingAsync());
        await app.WithDbAsync(async db => Assert.Single(db.AuditEntries.Where(entry => entry.Action == AuditActions.SetupCompleted)));
    }

    [Fact]
    public async Task TheSetupTokenIsLoggedAsAWarningAndOnlyItsHashIsKept()
    {
        var token = app.Log.SetupToken();
        Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$", token);
        // The setup service holds no field with the token itself.
        var setup = app.Services.GetRequiredService<BackofficeSetup>();
        var fields = typeof(BackofficeSetup).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
        Assert.DoesNotContain(fields, field => field.GetValue(setup) is string text && text.Contains(token[..4], StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Setup(string token, string email) => new()
    {
        ["Token"] = token,
        ["Email"] = email,
        ["DisplayName"] = "Site Owner",
        ["Password"] = BackofficeApp.Password,
    };

    private Task<int> UserCountAsync() =>
        app.WithScopeAsync(services => Task.FromResult(services.GetRequiredService<UserManager<BackofficeUser>>().Users.Count()));
}

internal static class UriExtensions
{
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;

    public static async Task<string> AntiforgeryTokenOfLoginAsync(this HttpClient client) =>
        (await client.GetDocumentAsync("/umbraco/login")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
}
