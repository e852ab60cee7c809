using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

using Portfolio.Web.Content.Editing;
namespace Portfolio.Web.Areas.Backoffice.Pages.Content;

/// <summary>Deleting an item moves it to the recycle bin, after a confirmation page; the Delete capability only.</summary>
[Authorize(Policy = BackofficePolicies.ContentDelete)]
public sealed class DeleteModel(ContentService content, AuditLog audit) : BackofficePageModel
{
    public ContentDraft Draft { get; private set; } = null!;

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
            // Already binned (a second click, another editor): the tree says so.
            return LocalRedirect("/umbraco/content?status=deleted");
        }

        try
        {
            await content.MoveToRecycleBinAsync(key, User.DisplayName(), cancellationToken);
        }
        catch (ContentNotFoundException)
        {
            return LocalRedirect("/umbraco/content?status=deleted");
        }

        await audit.RecordAsync(ContentAuditActions.Deleted, draft.ContentType, key.ToString(), draft.LatestVersionNumber,
            $"{draft.Document.DisplayName} ({draft.Slug}) moved to the recycle bin, {(draft.IsPublished ? "was published" : "never published")}", cancellationToken: cancellationToken);
        return LocalRedirect("/umbraco/content?status=deleted");
    }
}
