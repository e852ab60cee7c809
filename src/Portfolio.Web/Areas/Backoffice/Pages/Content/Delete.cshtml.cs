using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

using Portfolio.Web.Content.Editing;
namespace Portfolio.Web.Areas.Backoffice.Pages.Content;

/// <summary>Deleting an item (every version, its redirects) after a confirmation page; the Delete capability only.</summary>
[Authorize(Policy = BackofficePolicies.ContentDelete)]
public sealed class DeleteModel(ContentService content, AuditLog audit) : BackofficePageModel
{
    public ContentDraft Draft { get; private set; } = null!;

    /// <summary>Why the item could not be deleted (it is still in use), shown instead of the button.</summary>
    public string? InUse { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid key, CancellationToken cancellationToken)
    {
        if (await content.GetDraftAsync(key, cancellationToken) is not { } draft)
        {
            return NotFound();
        }

        Draft = draft;
        SetTitle($"Delete {draft.Document.DisplayName}?");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid key, CancellationToken cancellationToken)
    {
        if (await content.GetDraftAsync(key, cancellationToken) is not { } draft)
        {
            // Already gone (a second click, another editor): the tree says so.
            return LocalRedirect("/umbraco/content?status=deleted");
        }

        try
        {
            await content.DeleteAsync(key, cancellationToken);
        }
        catch (ContentInUseException)
        {
            Draft = draft;
            SetTitle($"Delete {draft.Document.DisplayName}?");
            InUse = $"“{draft.Document.DisplayName}” cannot be deleted: bookings still refer to it. Cancel or erase them first, or unpublish it instead.";
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        await audit.RecordAsync(ContentAuditActions.Deleted, draft.ContentType, key.ToString(), draft.LatestVersionNumber,
            $"{draft.Document.DisplayName} ({draft.Slug}), {(draft.IsPublished ? "was published" : "never published")}", cancellationToken: cancellationToken);
        return LocalRedirect("/umbraco/content?status=deleted");
    }
}
