using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

using Portfolio.Web.Content.Editing;
namespace Portfolio.Web.Areas.Backoffice.Pages.Content;

/// <summary>
/// The content tree at <c>/umbraco/content</c>: every item grouped by document type with its state, links to
/// create, edit and delete, and move up/down buttons. Reordering changes the live site's order at once, so it
/// needs the Publish capability; Writers see the order but not the buttons.
/// </summary>
[Authorize(Policy = BackofficePolicies.ContentEdit)]
public sealed class IndexModel(ContentService content, AuditLog audit) : BackofficePageModel
{
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["deleted"] = "The item is in the recycle bin; it can be restored from there.",
        ["moved"] = "The order is saved; the site shows it now.",
    };

    public IReadOnlyList<(DocumentTypeInfo Type, IReadOnlyList<ContentSummary> Items)> Groups { get; private set; } = [];

    public bool CanReorder { get; private set; }

    public bool CanDelete { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    /// <summary>The pressed move button: <c>up:{key}</c> or <c>down:{key}</c>.</summary>
    [BindProperty]
    public string? Move { get; set; }

    public string? StatusMessage => Status is not null && Messages.TryGetValue(Status, out var message) ? message : null;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostMoveAsync(CancellationToken cancellationToken)
    {
        if (!await MayAsync(BackofficePolicies.ContentPublish))
        {
            return Forbid();
        }

        var parts = (Move ?? "").Split(':', 2);
        if (parts.Length != 2 || parts[0] is not ("up" or "down") || !Guid.TryParse(parts[1], out var key) ||
            await content.GetDraftAsync(key, cancellationToken) is not { } item)
        {
            return BadRequest();
        }

        var keys = (await content.ListAsync(item.ContentType, cancellationToken)).Select(summary => summary.Key).ToList();
        var index = keys.IndexOf(key);
        var target = parts[0] == "up" ? index - 1 : index + 1;
        if (target >= 0 && target < keys.Count)
        {
            (keys[index], keys[target]) = (keys[target], keys[index]);
            await content.ReorderAsync(item.ContentType, keys, cancellationToken);
            await audit.RecordAsync(ContentAuditActions.Reordered, item.ContentType, key.ToString(), null,
                $"{item.Document.DisplayName} moved {parts[0]} to position {target + 1} of {keys.Count}", cancellationToken: cancellationToken);
        }

        return LocalRedirect($"/umbraco/content?status=moved#{item.ContentType}");
    }

    private async Task<bool> MayAsync(string policy) =>
        (await HttpContext.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(User, policy)).Succeeded;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        SetTitle("Content");
        CanReorder = await MayAsync(BackofficePolicies.ContentPublish);
        CanDelete = await MayAsync(BackofficePolicies.ContentDelete);
        var groups = new List<(DocumentTypeInfo, IReadOnlyList<ContentSummary>)>();
        foreach (var type in ContentTypeGroups.Ordered)
        {
            groups.Add((type, await content.ListAsync(type.Alias, cancellationToken)));
        }

        Groups = groups;
    }
}
