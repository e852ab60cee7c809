using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Web.Backoffice;

namespace Portfolio.Tests.Backoffice;

public sealed class InitialAdministratorTests(BackofficeApp app) : IClassFixture<BackofficeApp>
{
    [Fact]
    public async Task TheConfiguredAdministratorIsCreatedOnceAndNoSetupTokenIsLogged()
    {
        // Starting again (as every deploy does) changes nothing.
        await app.Services.PrepareBackofficeAsync();
        await app.Services.PrepareBackofficeAsync();

        var admins = await app.WithScopeAsync(async services =>
            await services.GetRequiredService<UserManager<BackofficeUser>>().GetUsersInRoleAsync(BackofficeRoles.Administrator));
        var admin = Assert.Single(admins, user => user.Email == BackofficeApp.AdminEmail);
        Assert.Equal("Initial Admin", admin.DisplayName);
        Assert.Equal(1, await app.WithDbAsync2(db => db.AuditEntries.Count(entry => entry.Action == AuditActions.InitialAdministratorCreated)));
        Assert.DoesNotContain(app.Log.Lines, line => line.Message.Contains("setup token", StringComparison.Ordinal));
        Assert.Contains(app.Log.Lines, line => line.Message.Contains("InitialAdmin:Password is still configured", StringComparison.Ordinal));

        var browser = app.CreateBrowser();
        Assert.Equal("/umbraco", (await browser.SignInAsync(BackofficeApp.AdminEmail, BackofficeApp.Password)).Headers.Location?.OriginalString);
    }
}
