using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Data;

namespace Portfolio.Web.Shared;

/// <summary>The names of audited actions. Content and owner pages add theirs here.</summary>
public static class AuditActions
{
    public const string SetupCompleted = "SetupCompleted";
    public const string InitialAdministratorCreated = "InitialAdministratorCreated";
    public const string SignedIn = "SignedIn";
    public const string SignInFailed = "SignInFailed";
    public const string LockedOut = "LockedOut";
    public const string SignedOut = "SignedOut";
    public const string PasswordConfirmed = "PasswordConfirmed";
    public const string PasswordChanged = "PasswordChanged";
    public const string PasswordSet = "PasswordSet";
    public const string UserCreated = "UserCreated";
    public const string InvitationIssued = "InvitationIssued";
    public const string RoleChanged = "RoleChanged";
    public const string UserLocked = "UserLocked";
    public const string UserUnlocked = "UserUnlocked";
    public const string UserDeleted = "UserDeleted";
    public const string TwoFactorEnabled = "TwoFactorEnabled";
    public const string TwoFactorDisabled = "TwoFactorDisabled";
    public const string TwoFactorReset = "TwoFactorReset";
    public const string RecoveryCodesGenerated = "RecoveryCodesGenerated";
    public const string RecoveryCodeUsed = "RecoveryCodeUsed";
    // Version history, redirects and the schedule list (feature/history).
    public const string ContentRolledBack = "ContentRolledBack";
    public const string ScheduleCancelled = "ScheduleCancelled";
    public const string RedirectAdded = "RedirectAdded";
    public const string RedirectDeleted = "RedirectDeleted";
}

/// <summary>The kinds of entity the audit log names in <see cref="AuditEntry.EntityType"/>.</summary>
public static class AuditEntityTypes
{
    public const string User = "User";
    public const string Session = "Session";
    public const string Content = "Content";
    public const string Redirect = "Redirect";
}

/// <summary>Who an audit entry is attributed to.</summary>
public sealed record AuditActor(string? UserId, string UserName)
{
    /// <summary>Start-up tasks and background jobs.</summary>
    public static AuditActor System { get; } = new(null, "system");

    public static AuditActor Of(BackofficeUser user) => new(user.Id, user.Email ?? user.UserName ?? user.Id);

    public static AuditActor? Of(ClaimsPrincipal? principal) =>
        principal?.Identity?.IsAuthenticated == true && principal.FindFirstValue(ClaimTypes.NameIdentifier) is { } id
            ? new AuditActor(id, principal.Identity.Name ?? id)
            : null;
}

/// <summary>
/// Records "who, what, when, and which version". The actor is the signed-in user of the current request
/// unless one is given (sign-in attempts, start-up tasks).
/// <see cref="Add"/> only stages the entry, so a caller that saves its own change can commit both together;
/// <see cref="RecordAsync"/> saves at once.
/// </summary>
public sealed class AuditLog(PortfolioDbContext db, IHttpContextAccessor httpContextAccessor, TimeProvider clock)
{
    public AuditEntry Add(string action, string entityType, string? entityId, int? versionNumber = null,
        string? details = null, AuditActor? actor = null)
    {
        var who = actor ?? AuditActor.Of(httpContextAccessor.HttpContext?.User) ?? AuditActor.System;
        var entry = new AuditEntry
        {
            WhenUtc = clock.GetUtcNow().UtcDateTime,
            UserId = who.UserId,
            UserName = Truncate(who.UserName, AuditEntry.UserNameMaxLength),
            Action = Truncate(action, AuditEntry.ActionMaxLength),
            EntityType = Truncate(entityType, AuditEntry.EntityTypeMaxLength),
            EntityId = entityId is null ? null : Truncate(entityId, AuditEntry.EntityIdMaxLength),
            VersionNumber = versionNumber,
            Details = details is null ? null : Truncate(details, AuditEntry.DetailsMaxLength),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    public async Task RecordAsync(string action, string entityType, string? entityId, int? versionNumber = null,
        string? details = null, AuditActor? actor = null, CancellationToken cancellationToken = default)
    {
        Add(action, entityType, entityId, versionNumber, details, actor);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The newest entries first, optionally for one entity.</summary>
    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int skip, int take, string? entityType = null, string? entityId = null,
        CancellationToken cancellationToken = default)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (entityType is not null)
        {
            query = query.Where(entry => entry.EntityType == entityType);
        }

        if (entityId is not null)
        {
            query = query.Where(entry => entry.EntityId == entityId);
        }

        return await query.OrderByDescending(entry => entry.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
