using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;

namespace Portfolio.Tests.Backoffice;

public sealed class UserManagementTests(BackofficeApp app) : IClassFixture<BackofficeApp>
{
    [Fact]
    public async Task UserManagementAsksForThePasswordAgainAndTheConfirmationExpires()
    {
        var (admin, _) = await app.SignedInAsync(BackofficeRoles.Administrator);

        var first = await admin.GetAsync("/umbraco/users");
        Assert.Equal("/umbraco/confirm-password?returnUrl=%2Fumbraco%2Fusers", first.Headers.Location?.PathAndQuery());

        var wrong = await admin.SubmitAsync("/umbraco/confirm-password?returnUrl=%2Fumbraco%2Fusers", new() { ["Password"] = "not my password at all" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        var confirmed = await admin.SubmitAsync("/umbraco/confirm-password?returnUrl=%2Fumbraco%2Fusers", new() { ["Password"] = BackofficeApp.Password });
        Assert.Equal("/umbraco/users", confirmed.Headers.Location?.PathAndQuery());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/umbraco/users")).StatusCode);

        app.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.StartsWith("/umbraco/confirm-password", (await admin.GetAsync("/umbraco/users")).Headers.Location?.PathAndQuery());
    }

    [Fact]
    public async Task AnAdministratorInvitesChangesTheRoleLocksAndDeletesAUserAndEveryStepIsAudited()
    {
        var (admin, _) = await app.SignedInAsync(BackofficeRoles.Administrator);
        var email = $"colleague-{Guid.NewGuid():N}@example.com";
        var link = await PasswordPolicyTests.InviteAsync(admin, email, BackofficeRoles.Writer);
        Assert.Equal("/umbraco/login?status=password-set",
            (await app.CreateBrowser().SubmitAsync(link, new() { ["Password"] = BackofficeApp.Password })).Headers.Location?.PathAndQuery());
        var id = await UserIdAsync(email);

        // The colleague signs in as a Writer ...
        var colleague = app.CreateBrowser();
        Assert.Equal("/umbraco", (await colleague.SignInAsync(email, BackofficeApp.Password)).Headers.Location?.PathAndQuery());
        Assert.StartsWith("/umbraco/access-denied", (await colleague.GetAsync("/umbraco/audit")).Headers.Location?.PathAndQuery());

        // ... becomes an Administrator, which applies on the next request ...
        var edit = $"/umbraco/users/edit/{id}";
        var promoted = await admin.SubmitAsync(edit, new() { ["Role"] = BackofficeRoles.Administrator }, "form[action*='handler=Role']");
        Assert.Equal($"{edit}?status=role-changed", promoted.Headers.Location?.PathAndQuery());
        // Roles are re-read whenever the cookie is older than the last check; the test clock stands still otherwise.
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync("/umbraco/audit")).StatusCode);

        // ... is locked, which ends their session and keeps them out ...
        await admin.SubmitAsync(edit, [], "form[action*='handler=Lock']");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.StartsWith("/umbraco/login", (await colleague.GetAsync("/umbraco")).Headers.Location?.PathAndQuery());
        Assert.Equal(HttpStatusCode.OK, (await app.CreateBrowser().SignInAsync(email, BackofficeApp.Password)).StatusCode);

        // ... and is deleted, with confirmation.
        var unconfirmed = await admin.SubmitAsync(edit, [], "form[action*='handler=Delete']");
        Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
        var deleted = await admin.SubmitAsync(edit, new() { ["ConfirmDelete"] = "true" }, "form[action*='handler=Delete']");
        Assert.Equal("/umbraco/users", deleted.Headers.Location?.PathAndQuery());
        Assert.Null(await UserIdAsync(email));

        var actions = await app.WithDbAsync2(db => db.AuditEntries.Where(entry => entry.EntityId == id).Select(entry => entry.Action).ToList());
        Assert.Contains(AuditActions.UserCreated, actions);
        Assert.Contains(AuditActions.InvitationIssued, actions);
        Assert.Contains(AuditActions.PasswordSet, actions);
        Assert.Contains(AuditActions.RoleChanged, actions);
        Assert.Contains(AuditActions.UserLocked, actions);
        Assert.Contains(AuditActions.UserDeleted, actions);
    }

    [Fact]
    public async Task AnAdministratorCannotDeleteLockOrDemoteThemselves()
    {
        var (admin, user) = await app.SignedInAsync(BackofficeRoles.Administrator);
        await admin.SubmitAsync("/umbraco/confirm-password", new() { ["Password"] = BackofficeApp.Password });

        var page = await admin.GetDocumentAsync($"/umbraco/users/edit/{user.Id}");
        Assert.Empty(page.QuerySelectorAll("main form"));

        // Posting anyway changes nothing.
        var token = await admin.AntiforgeryTokenAsync();
        var delete = await admin.PostFormAsync($"/umbraco/users/edit/{user.Id}?handler=Delete", [new("__RequestVerificationToken", token), new("ConfirmDelete", "true")]);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Contains("You cannot delete your own account", Html.Parse(await delete.Content.ReadAsStringAsync()).Text());
        var demote = await admin.PostFormAsync($"/umbraco/users/edit/{user.Id}?handler=Role", [new("__RequestVerificationToken", token), new("Role", BackofficeRoles.Writer)]);
        Assert.Contains("You cannot change your own role", Html.Parse(await demote.Content.ReadAsStringAsync()).Text());
        Assert.NotNull(await UserIdAsync(user.Email!));
    }

    private Task<string?> UserIdAsync(string email) =>
        app.WithScopeAsync(async services => (await services.GetRequiredService<UserManager<BackofficeUser>>().FindByEmailAsync(email))?.Id);
}
