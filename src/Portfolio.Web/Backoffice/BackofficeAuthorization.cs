using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Portfolio.Web.Backoffice;

/// <summary>The four backoffice roles. A user has exactly one.</summary>
public static class BackofficeRoles
{
    /// <summary>Everything, including users and the audit log.</summary>
    public const string Administrator = "Administrator";
    /// <summary>Content and media: edits, publishes, deletes.</summary>
    public const string Editor = "Editor";
    /// <summary>Saves drafts; cannot publish or delete.</summary>
    public const string Writer = "Writer";
    /// <summary>The business side: messages, bookings, availability, the mail queue.</summary>
    public const string Owner = "Owner";

    public static IReadOnlyList<string> All { get; } = [Administrator, Editor, Writer, Owner];

    public static string Describe(string role) => role switch
    {
        Administrator => "Everything, including users and the audit log.",
        Editor => "Edits, publishes and deletes content and media.",
        Writer => "Writes and saves drafts; cannot publish or delete.",
        Owner => "Reads messages and bookings, edits availability, watches the mail queue.",
        _ => "",
    };

    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}

/// <summary>
/// Capabilities, each an authorization policy. Pages ask for a capability, never for a role, and
/// <see cref="RolesByPolicy"/> is the one place that says which roles have which capability.
/// </summary>
public static class BackofficePolicies
{
    /// <summary>Any backoffice user: the dashboard, one's own account. Applied to the whole area too.</summary>
    public const string Access = "Backoffice.Access";
    public const string ContentEdit = "Backoffice.Content.Edit";
    public const string ContentPublish = "Backoffice.Content.Publish";
    public const string ContentDelete = "Backoffice.Content.Delete";
    /// <summary>
    /// Emptying the recycle bin (deleting for good): the one content action that cannot be undone, so administrators only.
    /// Editors move items to the bin and restore them (<see cref="ContentDelete"/>).
    /// </summary>
    public const string ContentPurge = "Backoffice.Content.Purge";
    public const string MediaEdit = "Backoffice.Media.Edit";
    public const string MediaDelete = "Backoffice.Media.Delete";
    /// <summary>Messages, bookings, availability, mail queue.</summary>
    public const string Owner = "Backoffice.Owner";
    public const string UsersManage = "Backoffice.Users.Manage";
    public const string AuditView = "Backoffice.Audit.View";
    /// <summary>Outgoing webhooks: where the site's events go, and their signing secrets; administrators only.</summary>
    public const string WebhooksManage = "Backoffice.Webhooks.Manage";

    public static IReadOnlyDictionary<string, string[]> RolesByPolicy { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [Access] = [.. BackofficeRoles.All],
        [ContentEdit] = [BackofficeRoles.Administrator, BackofficeRoles.Editor, BackofficeRoles.Writer],
        [ContentPublish] = [BackofficeRoles.Administrator, BackofficeRoles.Editor],
        [ContentDelete] = [BackofficeRoles.Administrator, BackofficeRoles.Editor],
        [ContentPurge] = [BackofficeRoles.Administrator],
        [MediaEdit] = [BackofficeRoles.Administrator, BackofficeRoles.Editor, BackofficeRoles.Writer],
        [MediaDelete] = [BackofficeRoles.Administrator, BackofficeRoles.Editor],
        [Owner] = [BackofficeRoles.Administrator, BackofficeRoles.Owner],
        [UsersManage] = [BackofficeRoles.Administrator],
        [AuditView] = [BackofficeRoles.Administrator],
        [WebhooksManage] = [BackofficeRoles.Administrator],
    };

    internal static void AddTo(AuthorizationOptions options)
    {
        foreach (var (policy, roles) in RolesByPolicy)
        {
            options.AddPolicy(policy, builder => builder
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireRole(roles));
        }
    }
}
