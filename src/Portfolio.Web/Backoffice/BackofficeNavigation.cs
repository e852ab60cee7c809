namespace Portfolio.Web.Backoffice;

/// <summary>One entry of the side navigation: shown only to users who pass its policy.</summary>
/// <param name="Label">What the link says.</param>
/// <param name="Page">The area page, e.g. <c>/Users/Index</c>.</param>
/// <param name="Policy">The policy the page itself declares.</param>
/// <param name="Section">The heading it is grouped under.</param>
public sealed record BackofficeNavigationItem(string Label, string Page, string Policy, string Section);

/// <summary>
/// The backoffice's side navigation. A new backoffice section adds its pages here (with the same policy
/// the page declares) and nowhere else; the layout hides what the user's role may not use.
/// </summary>
public static class BackofficeNavigation
{
    public const string Overview = "Overview";
    public const string Content = "Content";
    public const string Business = "Business";
    public const string Administration = "Administration";

    public static IReadOnlyList<BackofficeNavigationItem> Items { get; } =
    [
        new("Dashboard", "/Index", BackofficePolicies.Access, Overview),
        new("Content", "/Content/Index", BackofficePolicies.ContentEdit, Content),
        new("Media", "/Media/Index", BackofficePolicies.MediaEdit, Content),
        new("Scheduled", "/Scheduled/Index", BackofficePolicies.ContentPublish, Content),
        new("Redirects", "/Redirects/Index", BackofficePolicies.ContentPublish, Content),
        new("Recycle bin", "/RecycleBin/Index", BackofficePolicies.ContentDelete, Content),
        new("Messages", "/Messages/Index", BackofficePolicies.Owner, Business),
        new("Bookings", "/Bookings/Index", BackofficePolicies.Owner, Business),
        new("Availability", "/Availability/Index", BackofficePolicies.Owner, Business),
        new("Mail queue", "/MailQueue/Index", BackofficePolicies.Owner, Business),
        new("Privacy requests", "/Privacy/Index", BackofficePolicies.Owner, Business),
        new("Users", "/Users/Index", BackofficePolicies.UsersManage, Administration),
        new("Audit log", "/Audit/Index", BackofficePolicies.AuditView, Administration),
        new("Webhooks", "/Webhooks/Index", BackofficePolicies.WebhooksManage, Administration),
        new("Your account", "/Account/Index", BackofficePolicies.Access, Administration),
    ];
}

/// <summary>Identifiers shown to people: <c>expertProfile</c> → "Expert profile", <c>SignInFailed</c> → "Sign in failed".</summary>
public static partial class BackofficeText
{
    public static string Humanize(string identifier)
    {
        var words = WordBoundary().Replace(identifier, " ").ToLowerInvariant();
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    [System.Text.RegularExpressions.GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial System.Text.RegularExpressions.Regex WordBoundary();
}
