using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using LoginPage = Portfolio.Web.Areas.Backoffice.Pages.Login.IndexModel;

namespace Portfolio.Tests.Backoffice;

/// <summary>
/// The backoffice app with Identity's real password hasher wrapped in a counter: a password check is what makes a
/// sign-in slow (tens of milliseconds), so "the same number of checks" is the deterministic form of "the same time".
/// </summary>
public sealed class CountingHasherApp : BackofficeApp
{
    public CountingPasswordHasher.Counter Verifications { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IPasswordHasher<BackofficeUser>>();
            services.AddScoped<IPasswordHasher<BackofficeUser>>(provider => new CountingPasswordHasher(
                new PasswordHasher<BackofficeUser>(provider.GetService<IOptions<PasswordHasherOptions>>()), Verifications));
        });
    }
}

/// <summary>Identity's hasher, unchanged, counting how often it verifies a password.</summary>
public sealed class CountingPasswordHasher(IPasswordHasher<BackofficeUser> inner, CountingPasswordHasher.Counter counter) : IPasswordHasher<BackofficeUser>
{
    public sealed class Counter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }

    public string HashPassword(BackofficeUser user, string password) => inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(BackofficeUser user, string hashedPassword, string providedPassword)
    {
        counter.Increment();
        return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

public sealed class SignInTimingTests(CountingHasherApp app) : IClassFixture<CountingHasherApp>
{
    [Fact]
    public async Task Finding03_EveryFailedSignInChecksExactlyOnePasswordHashWhateverTheAccountsState()
    {
        var wrongPassword = await app.CreateUserAsync(BackofficeRoles.Writer);
        var locked = await app.CreateUserAsync(BackofficeRoles.Writer);
        await app.WithScopeAsync(async services =>
        {
            // As an administrator's "Lock" does it.
            var users = services.GetRequiredService<UserManager<BackofficeUser>>();
            var stored = await users.FindByIdAsync(locked.Id);
            Assert.True((await users.SetLockoutEndDateAsync(stored!, DateTimeOffset.MaxValue)).Succeeded);
        });
        var invitedEmail = $"invited-{Guid.NewGuid():N}@example.com";
        await app.WithScopeAsync(async services =>
        {
            // As an invitation leaves it: an account without a password until the link is used.
            var users = services.GetRequiredService<UserManager<BackofficeUser>>();
            var invited = BackofficeUserAdministration.NewUser(invitedEmail, "Invited Person", users, app.Clock.GetUtcNow().UtcDateTime);
            Assert.True((await users.CreateAsync(invited)).Succeeded);
            Assert.True((await users.AddToRoleAsync(invited, BackofficeRoles.Writer)).Succeeded);
        });

        var checks = new Dictionary<string, int>
        {
            ["unknown address"] = await PasswordChecksOfAFailedSignInAsync($"nobody-{Guid.NewGuid():N}@example.com", BackofficeApp.Password),
            ["wrong password"] = await PasswordChecksOfAFailedSignInAsync(wrongPassword.Email!, "not the password at all"),
            ["locked account"] = await PasswordChecksOfAFailedSignInAsync(locked.Email!, BackofficeApp.Password),
            ["invited, no password yet"] = await PasswordChecksOfAFailedSignInAsync(invitedEmail, BackofficeApp.Password),
        };

        Assert.All(checks, check => Assert.True(check.Value == 1, $"{check.Key}: {check.Value} password checks, not 1."));
    }

    /// <summary>Signs in through the page, expects the generic failure, and returns how many password hashes were checked.</summary>
    private async Task<int> PasswordChecksOfAFailedSignInAsync(string email, string password)
    {
        var client = app.CreateBrowser();
        // Loading the form checks nothing; count only the post.
        var page = await client.GetDocumentAsync("/umbraco/login");
        var token = page.QuerySelector("main form[method=post] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var before = app.Verifications.Count;

        var response = await client.PostFormAsync("/umbraco/login",
            [new("__RequestVerificationToken", token), new("Email", email), new("Password", password)]);

        var checks = app.Verifications.Count - before;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(LoginPage.FailureMessage, Html.Parse(await response.Content.ReadAsStringAsync()).Text());
        return checks;
    }
}
