using System.Net;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;

namespace Portfolio.Tests.Backoffice;

public sealed class SignInTests(BackofficeApp app) : IClassFixture<BackofficeApp>
{
    [Fact]
    public async Task AUserSignsInAndSeesTheDashboardWithRealNumbers()
    {
        var (client, _) = await app.SignedInAsync(BackofficeRoles.Editor);

        var dashboard = await client.GetDocumentAsync("/umbraco");
        Assert.Contains("Welcome, Test Editor", dashboard.QuerySelector("h1")!.TextContent);
        var items = dashboard.QuerySelectorAll("#content-facts ~ dl dt, .bo-stats dt")
            .First(dt => dt.TextContent == "Items").NextElementSibling!.TextContent;
        var expected = await app.WithDbAsync2(db => db.ContentItems.Count());
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), items);
        // An editor sees content, not users or the owner's queues.
        Assert.Null(dashboard.QuerySelector("#user-facts"));
        Assert.Null(dashboard.QuerySelector("#business-facts"));
    }

    [Fact]
    public async Task AWrongPasswordAndAnUnknownAccountGetTheSameGenericMessage()
    {
        var user = await app.CreateUserAsync(BackofficeRoles.Writer);

        var wrongPassword = await SignInMessageAsync(user.Email!, "not the password at all");
        var unknownAccount = await SignInMessageAsync("nobody-here@example.com", "not the password at all");

        Assert.Equal(wrongPassword, unknownAccount);
        Assert.Contains("Sign-in failed", wrongPassword);
        Assert.DoesNotContain("exist", wrongPassword, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("locked", wrongPassword, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountWithoutSayingSo()
    {
        var user = await app.CreateUserAsync(BackofficeRoles.Writer);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await SignInMessageAsync(user.Email!, "wrong password " + attempt);
        }

        // Now even the right password is refused, with the very same message.
        var client = app.CreateBrowser();
        var response = await client.SignInAsync(user.Email!, BackofficeApp.Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Web.Areas.Backoffice.Pages.Login.IndexModel.FailureMessage, Html.Parse(await response.Content.ReadAsStringAsync()).Text());
        await app.WithDbAsync(async db =>
        {
            var stored = db.Users.Single(u => u.Id == user.Id);
            Assert.True(stored.LockoutEnd > DateTimeOffset.UtcNow.AddMinutes(10));
            Assert.Contains(db.AuditEntries, entry => entry.UserId == user.Id && entry.Action == AuditActions.LockedOut);
            await Task.CompletedTask;
        });
    }

    [Fact]
    public async Task TheSessionCookieIsHostPrefixedHttpOnlySecureAndSameSiteStrict()
    {
        var user = await app.CreateUserAsync(BackofficeRoles.Owner);
        var client = app.CreateBrowser();

        var response = await client.SignInAsync(user.Email!, BackofficeApp.Password);

        var cookie = response.Headers.GetValues("Set-Cookie").Single(value => value.StartsWith(BackofficeSession.CookieName + "=", StringComparison.Ordinal));
        var attributes = cookie.Split(';').Skip(1).Select(part => part.Trim().ToLowerInvariant()).ToList();
        Assert.StartsWith("__Host-", cookie, StringComparison.Ordinal);
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, attribute => attribute.StartsWith("domain", StringComparison.Ordinal));
        // A session cookie: gone when the browser closes.
        Assert.DoesNotContain(attributes, attribute => attribute.StartsWith("expires", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SigningOutMakesACopiedCookieWorthless()
    {
        var (client, user) = await app.SignedInAsync(BackofficeRoles.Editor);
        var stolen = SessionCookie(await client.GetAsync("/umbraco"), client);
        Assert.Equal(HttpStatusCode.OK, (await SendWithCookieAsync(stolen)).StatusCode);

        var token = await client.AntiforgeryTokenAsync();
        var signedOut = await client.PostFormAsync("/umbraco/logout", [new("__RequestVerificationToken", token)]);
        Assert.Equal("/umbraco/login?status=signed-out", signedOut.Headers.Location?.OriginalString);
        // The stamp is compared on every request after the cookie was issued: let a second pass.
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        var replay = await SendWithCookieAsync(stolen);
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.StartsWith("/umbraco/login", replay.Headers.Location?.PathAndQuery());
        await app.WithDbAsync(async db =>
        {
            Assert.Contains(db.AuditEntries, entry => entry.UserId == user.Id && entry.Action == AuditActions.SignedOut);
            await Task.CompletedTask;
        });
    }

    [Fact]
    public async Task AnIdleSessionEndsAfterThirtyMinutes()
    {
        var (client, _) = await app.SignedInAsync(BackofficeRoles.Writer);
        app.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/umbraco")).StatusCode);

        app.Clock.Advance(TimeSpan.FromMinutes(31));
        var response = await client.GetAsync("/umbraco");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/umbraco/login", response.Headers.Location?.PathAndQuery());
    }

    [Fact]
    public async Task ABusySessionStillEndsEightHoursAfterSignIn()
    {
        var (client, _) = await app.SignedInAsync(BackofficeRoles.Writer);
        var elapsed = TimeSpan.Zero;
        // A request every 25 minutes keeps the idle timeout at bay ...
        while (elapsed + TimeSpan.FromMinutes(25) < TimeSpan.FromHours(8))
        {
            app.Clock.Advance(TimeSpan.FromMinutes(25));
            elapsed += TimeSpan.FromMinutes(25);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/umbraco")).StatusCode);
        }

        // ... but not the absolute one.
        app.Clock.Advance(TimeSpan.FromMinutes(25));
        var response = await client.GetAsync("/umbraco");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/umbraco/login", response.Headers.Location?.PathAndQuery());
    }

    [Fact]
    public async Task ABackofficePostWithoutTheAntiforgeryTokenIsRefused()
    {
        var (client, _) = await app.SignedInAsync(BackofficeRoles.Editor);

        var signOut = await client.PostFormAsync("/umbraco/logout", []);
        var signIn = await app.CreateBrowser().PostFormAsync("/umbraco/login", [new("Email", "a@example.com"), new("Password", "whatever whatever")]);

        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        // Still signed in: the forged sign-out did nothing.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/umbraco")).StatusCode);
    }

    [Fact]
    public async Task ASignInOnlyReturnsToPagesOfThisSite()
    {
        var user = await app.CreateUserAsync(BackofficeRoles.Editor);
        var client = app.CreateBrowser();

        var response = await client.SubmitAsync("/umbraco/login?returnUrl=https%3A%2F%2Fevil.example%2F",
            new() { ["Email"] = user.Email!, ["Password"] = BackofficeApp.Password });

        Assert.Equal("/umbraco", response.Headers.Location?.OriginalString);
    }

    private async Task<string> SignInMessageAsync(string email, string password)
    {
        var response = await app.CreateBrowser().SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        return page.QuerySelector(".bo-alert--error")!.TextContent.Trim();
    }

    private static string SessionCookie(HttpResponseMessage _, HttpClient client)
    {
        // The handler keeps the cookies; read the session cookie back from a request it would send.
        var handler = typeof(HttpMessageInvoker).GetField("_handler", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!
            .GetValue(client);
        var container = FindCookieContainer(handler) ?? throw new InvalidOperationException("No cookie container.");
        var cookie = container.GetCookies(new Uri("https://localhost/umbraco"))[BackofficeSession.CookieName]
                     ?? throw new InvalidOperationException("No session cookie.");
        return $"{cookie.Name}={cookie.Value}";
    }

    private static CookieContainer? FindCookieContainer(object? handler)
    {
        while (handler is not null)
        {
            if (handler.GetType().GetProperty("Container")?.GetValue(handler) is CookieContainer container)
            {
                return container;
            }

            handler = (handler as DelegatingHandler)?.InnerHandler;
        }

        return null;
    }

    private async Task<HttpResponseMessage> SendWithCookieAsync(string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/umbraco");
        request.Headers.Add("Cookie", cookie);
        return await app.CreateCookielessClient().SendAsync(request);
    }
}

internal static class AppExtensions
{
    public static Task<T> WithDbAsync2<T>(this PortfolioApp app, Func<Web.Data.PortfolioDbContext, T> query) =>
        app.WithScopeAsync(services => Task.FromResult(query(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Web.Data.PortfolioDbContext>(services))));
}
