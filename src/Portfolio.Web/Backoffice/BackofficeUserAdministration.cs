using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Backoffice;

/// <summary>A user as the users page lists them.</summary>
public sealed record BackofficeUserSummary(
    string Id, string Email, string DisplayName, string? Role, bool TwoFactorEnabled, DateTimeOffset? LockoutEnd,
    DateTime CreatedUtc, DateTime? LastSignInUtc, bool HasPassword)
{
    public bool IsLockedOut(DateTimeOffset now) => LockoutEnd is { } end && end > now;

    /// <summary>Locked by an administrator (until unlocked), rather than for a while after failed sign-ins.</summary>
    public bool IsLockedByAdministrator => LockoutEnd == DateTimeOffset.MaxValue;
}

/// <summary>The outcome of a change on the users page: done, or why not.</summary>
public sealed record UserChange(bool Succeeded, string? Error = null, BackofficeUser? User = null)
{
    public static UserChange Done(BackofficeUser? user = null) => new(true, null, user);

    public static UserChange Refused(string error) => new(false, error);

    public static UserChange From(IdentityResult result, BackofficeUser? user = null) =>
        result.Succeeded ? Done(user) : Refused(string.Join(" ", result.Errors.Select(e => e.Description)));
}

/// <summary>
/// What administrators do to users: create (with an invitation link instead of a password the administrator
/// would know), change the role, lock and unlock, reset two-factor, delete. Each change is audited. Nobody
/// changes, locks or deletes their own account here, so there is always an administrator left.
/// </summary>
public sealed class BackofficeUserAdministration(
    UserManager<BackofficeUser> users, PortfolioDbContext db, AuditLog audit, TimeProvider clock)
{
    internal static BackofficeUser NewUser(string email, string? displayName, UserManager<BackofficeUser> users, DateTime createdUtc) => new()
    {
        UserName = email.Trim(),
        Email = email.Trim(),
        EmailConfirmed = true,
        DisplayName = TextInput.Clean(displayName) is { Length: > 0 } name ? name[..Math.Min(name.Length, 100)] : "",
        CreatedUtc = createdUtc,
        LockoutEnabled = users.SupportsUserLockout,
    };

    public async Task<IReadOnlyList<BackofficeUserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.Users.AsNoTracking()
            .OrderBy(user => user.Email)
            .Select(user => new
            {
                user.Id, user.Email, user.DisplayName, user.TwoFactorEnabled, user.LockoutEnd, user.CreatedUtc, user.LastSignInUtc,
                HasPassword = user.PasswordHash != null,
                Role = db.UserRoles.Where(link => link.UserId == user.Id)
                    .Join(db.Roles, link => link.RoleId, role => role.Id, (_, role) => role.Name)
                    .FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(row => new BackofficeUserSummary(row.Id, row.Email ?? "", row.DisplayName, row.Role, row.TwoFactorEnabled,
            row.LockoutEnd, row.CreatedUtc, row.LastSignInUtc, row.HasPassword)).ToList();
    }

    public async Task<BackofficeUserSummary?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(user => user.Id == id);

    public Task<int> CountAsync(CancellationToken cancellationToken = default) => db.Users.CountAsync(cancellationToken);

    /// <summary>Creates a user without a password; they choose one through the invitation link.</summary>
    public async Task<UserChange> CreateAsync(string email, string? displayName, string role)
    {
        email = TextInput.Clean(email);
        if (!TextInput.IsEmail(email))
        {
            return UserChange.Refused("Enter an e-mail address like name@example.com.");
        }

        if (!BackofficeRoles.IsKnown(role))
        {
            return UserChange.Refused("Choose one of the roles.");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            return UserChange.Refused("A user with this e-mail address exists already.");
        }

        var user = NewUser(email, displayName, users, Now.UtcDateTime);
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            return UserChange.From(created);
        }

        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            return UserChange.From(added);
        }

        await audit.RecordAsync(AuditActions.UserCreated, AuditEntityTypes.User, user.Id, details: $"{user.Email} as {role}.");
        return UserChange.Done(user);
    }

    /// <summary>
    /// A token for the set-password page: one use (it is bound to the security stamp, which setting the
    /// password changes), valid for <see cref="BackofficeOptions.InvitationLifetime"/>.
    /// </summary>
    public async Task<string?> IssueInvitationAsync(string id)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return null;
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        await audit.RecordAsync(AuditActions.InvitationIssued, AuditEntityTypes.User, user.Id, details: user.Email);
        return token;
    }

    public async Task<UserChange> ChangeRoleAsync(string actingUserId, string id, string role)
    {
        if (!BackofficeRoles.IsKnown(role))
        {
            return UserChange.Refused("Choose one of the roles.");
        }

        var (user, refusal) = await FindOtherAsync(actingUserId, id, "change your own role");
        if (user is null)
        {
            return refusal!;
        }

        var current = await users.GetRolesAsync(user);
        if (current.Count == 1 && current[0] == role)
        {
            return UserChange.Done(user);
        }

        var removed = await users.RemoveFromRolesAsync(user, current);
        var added = removed.Succeeded ? await users.AddToRoleAsync(user, role) : removed;
        if (!added.Succeeded)
        {
            return UserChange.From(added);
        }

        // No new security stamp: the session stays, and its roles are re-read from the database on the next request.
        await audit.RecordAsync(AuditActions.RoleChanged, AuditEntityTypes.User, user.Id,
            details: $"{user.Email}: {(current.Count == 0 ? "no role" : string.Join(", ", current))} → {role}.");
        return UserChange.Done(user);
    }

    /// <summary>Locks until unlocked, and ends the user's sessions.</summary>
    public async Task<UserChange> LockAsync(string actingUserId, string id)
    {
        var (user, refusal) = await FindOtherAsync(actingUserId, id, "lock yourself out");
        if (user is null)
        {
            return refusal!;
        }

        await users.SetLockoutEnabledAsync(user, true);
        var locked = await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        if (!locked.Succeeded)
        {
            return UserChange.From(locked);
        }

        await users.UpdateSecurityStampAsync(user);
        await audit.RecordAsync(AuditActions.UserLocked, AuditEntityTypes.User, user.Id, details: user.Email);
        return UserChange.Done(user);
    }

    public async Task<UserChange> UnlockAsync(string actingUserId, string id)
    {
        var (user, refusal) = await FindOtherAsync(actingUserId, id, "unlock yourself");
        if (user is null)
        {
            return refusal!;
        }

        var unlocked = await users.SetLockoutEndDateAsync(user, null);
        if (!unlocked.Succeeded)
        {
            return UserChange.From(unlocked);
        }

        await users.ResetAccessFailedCountAsync(user);
        await audit.RecordAsync(AuditActions.UserUnlocked, AuditEntityTypes.User, user.Id, details: user.Email);
        return UserChange.Done(user);
    }

    /// <summary>Turns two-factor off and forgets the authenticator key and recovery codes (a lost phone).</summary>
    public async Task<UserChange> ResetTwoFactorAsync(string actingUserId, string id)
    {
        var (user, refusal) = await FindOtherAsync(actingUserId, id, "reset your own two-factor sign-in here (use your account page)");
        if (user is null)
        {
            return refusal!;
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        // A new key also gives the user a new security stamp, which ends their sessions.
        var reset = await users.ResetAuthenticatorKeyAsync(user);
        if (!reset.Succeeded)
        {
            return UserChange.From(reset);
        }

        await audit.RecordAsync(AuditActions.TwoFactorReset, AuditEntityTypes.User, user.Id, details: user.Email);
        return UserChange.Done(user);
    }

    public async Task<UserChange> DeleteAsync(string actingUserId, string id)
    {
        var (user, refusal) = await FindOtherAsync(actingUserId, id, "delete your own account");
        if (user is null)
        {
            return refusal!;
        }

        var email = user.Email;
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
        {
            return UserChange.From(deleted);
        }

        await audit.RecordAsync(AuditActions.UserDeleted, AuditEntityTypes.User, id, details: email);
        return UserChange.Done();
    }

    private DateTimeOffset Now => clock.GetUtcNow();

    private async Task<(BackofficeUser? User, UserChange? Refusal)> FindOtherAsync(string actingUserId, string id, string what)
    {
        if (string.Equals(actingUserId, id, StringComparison.Ordinal))
        {
            return (null, UserChange.Refused($"You cannot {what}. Ask another administrator."));
        }

        var user = await users.FindByIdAsync(id);
        return user is null ? (null, UserChange.Refused("This user does not exist (any more).")) : (user, null);
    }
}
