using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;

namespace Portfolio.Tests.Backoffice;

public sealed class PasswordPolicyTests(BackofficeApp app) : IClassFixture<BackofficeApp>
{
    [Theory]
    [InlineData("password1234")]
    [InlineData("Password2024!")]
    [InlineData("qwertyuiop123")]
    [InlineData("iloveyou1234")]
    [InlineData("passwordpassword")]
    [InlineData("aaaaaaaaaaaaaa")]
    [InlineData("123456789012")]
    [InlineData("Trustno1Trustno1")]
    public void CommonOrDecoratedCommonPasswordsAreGuessable(string password) =>
        Assert.True(CommonPasswordValidator.IsGuessable(password), password);

    [Theory]
    [InlineData("staple battery horse correct")]
    [InlineData("my cat eats plums at noon")]
    [InlineData("Fjordbakery-Lanterns-71")]
    public void PassphrasesAreNotGuessable(string password) => Assert.False(CommonPasswordValidator.IsGuessable(password), password);

    [Fact]
    public void TheShippedListHoldsSeveralThousandPasswords() => Assert.InRange(CommonPasswordValidator.Count, 3000, 100_000);

    [Theory]
    [InlineData("password1234", false)]
    [InlineData("short words", false)]
    [InlineData("correct horse battery staple", true)]
    [InlineData("no digits no capitals no symbols at all", true)]
    public async Task TheUserManagerAppliesTheRules(string password, bool accepted)
    {
        var result = await app.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<BackofficeUser>>();
            var email = $"policy-{Guid.NewGuid():N}@example.com";
            return await users.CreateAsync(new BackofficeUser { UserName = email, Email = email }, password);
        });

        Assert.Equal(accepted, result.Succeeded);
    }

    [Fact]
    public async Task AnInvitedUserIsRefusedACommonPasswordAndAcceptsAPassphrase()
    {
        var (admin, _) = await app.SignedInAsync(BackofficeRoles.Administrator);
        var invited = await InviteAsync(admin, $"new-{Guid.NewGuid():N}@example.com");
        var browser = app.CreateBrowser();

        var common = await browser.SubmitAsync(invited, new() { ["Password"] = "password1234" });
        Assert.Equal(HttpStatusCode.OK, common.StatusCode);
        Assert.Contains("too common", Html.Parse(await common.Content.ReadAsStringAsync()).Text());

        var passphrase = await browser.SubmitAsync(invited, new() { ["Password"] = "lantern orchard violin" });
        Assert.Equal("/umbraco/login?status=password-set", passphrase.Headers.Location?.OriginalString);

        // The link worked once.
        var again = await browser.GetDocumentAsync(invited);
        Assert.Contains("expired or has been used", again.Text());
    }

    /// <summary>Creates a user through the users page and returns the set-password link shown.</summary>
    internal static async Task<string> InviteAsync(HttpClient admin, string email, string role = BackofficeRoles.Writer)
    {
        await admin.SubmitAsync("/umbraco/confirm-password", new() { ["Password"] = BackofficeApp.Password });
        var response = await admin.SubmitAsync("/umbraco/users/invite", new() { ["Email"] = email, ["DisplayName"] = "New Person", ["Role"] = role });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var link = Html.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".bo-secret code")?.TextContent
                   ?? throw new InvalidOperationException("No invitation link shown.");
        var uri = new Uri(link);
        Assert.Equal("/umbraco/set-password", uri.AbsolutePath);
        return uri.PathAndQuery;
    }
}
