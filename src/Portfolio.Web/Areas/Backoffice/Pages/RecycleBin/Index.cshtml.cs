using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;
using Portfolio.Web.Content.Editing;
using Portfolio.Web.Data;

namespace Portfolio.Web.Areas.Backoffice.Pages.RecycleBin;

/// <summary>
/// The recycle bin at <c>/umbraco/recycle-bin</c>: what editors deleted, by whom and when. Whoever may delete may
/// restore (it undoes their own action); deleting for good, one item or the whole bin, cannot be undone, so it is
/// the administrators' alone (<see cref="BackofficePolicies.ContentPurge"/>), after a confirmation.
/// </summary>
[Authorize(Policy = BackofficePolicies.ContentDelete)]
public sealed class IndexModel(ContentService content, PortfolioDbContext db, AuditLog audit, IAuthorizationService authorization) : BackofficePageModel
{
    public IReadOnlyList<BinnedContent> Items { get; private set; } = [];

    public BackofficeTimeZone TimeZone { get; private set; } = BackofficeTimeZone.Utc;

    public bool CanPurge { get; private set; }

    /// <summary>Set by a "Delete for good" link: the item whose deletion is being confirmed.</summary>
    [BindProperty(SupportsGet = true, Name = "delete")]
    public Guid? DeleteKey { get; set; }

    public BinnedContent? ToDelete { get; private set; }

    /// <summary>Set by the "Empty the recycle bin" link: the confirmation is shown.</summary>
    [BindProperty(SupportsGet = true, Name = "empty")]
    public bool ConfirmEmpty { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Count { get; set; }

    /// <summary>Why items stayed in the bin (an expert's bookings), one sentence each.</summary>
    public List<string> Refusals { get; } = [];

    public string? StatusMessage => Status switch
    {
        "restored" => "The item is restored as an unpublished draft, with its versions and redirects. Publish it when it is ready.",
        "deleted" => "The item is deleted for good.",
        "emptied" => $"The recycle bin is emptied: {Count ?? 0} item(s) deleted for good.",
        "gone" => "That item is no longer in the recycle bin.",
        _ => null,
    };

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostRestoreAsync(Guid key, CancellationToken cancellationToken)
    {
        try
        {
            var draft = await content.RestoreAsync(key, User.DisplayName(), cancellationToken);
            await audit.RecordAsync(ContentAuditActions.Restored, draft.ContentType, key.ToString(), draft.LatestVersionNumber,
                $"{draft.Document.DisplayName} ({draft.Slug}) restored from the recycle bin as a draft", cancellationToken: cancellationToken);
            return LocalRedirect($"/umbraco/content/{key}?status=restored");
        }
        catch (ContentNotFoundException)
        {
            return RedirectToPage(new { status = "gone" });
        }
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid key, CancellationToken cancellationToken)
    {
        if (!await MayPurgeAsync())
        {
            return Forbid();
        }

        var item = (await content.ListRecycleBinAsync(cancellationToken)).FirstOrDefault(binned => binned.Key == key);
        if (item is null)
        {
            return RedirectToPage(new { status = "gone" });
        }

        if (await PurgeAsync(item, cancellationToken))
        {
            return RedirectToPage(new { status = "deleted" });
        }

        Response.StatusCode = StatusCodes.Status409Conflict;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostEmptyAsync(CancellationToken cancellationToken)
    {
        if (!await MayPurgeAsync())
        {
            return Forbid();
        }

        // One item at a time: an expert held by bookings stays, the rest still go.
        var deleted = 0;
        foreach (var item in await content.ListRecycleBinAsync(cancellationToken))
        {
            deleted += await PurgeAsync(item, cancellationToken) ? 1 : 0;
        }

        if (Refusals.Count == 0)
        {
            return RedirectToPage(new { status = "emptied", count = deleted });
        }

        Status = "emptied";
        Count = deleted;
        Response.StatusCode = StatusCodes.Status409Conflict;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task<bool> PurgeAsync(BinnedContent item, CancellationToken cancellationToken)
    {
        try
        {
            await content.DeletePermanentlyAsync(item.Key, cancellationToken);
        }
        catch (ContentNotFoundException)
        {
            return false;
        }
        catch (ContentInUseException)
        {
            var bookings = await db.Bookings.CountAsync(booking => booking.ExpertKey == item.Key, cancellationToken);
            Refusals.Add(bookings > 0
                ? $"“{item.Name}” cannot be deleted for good: {bookings} booking(s) refer to this expert, and bookings are the business's records. " +
                  "It stays in the recycle bin, off the site. It can be deleted once its bookings are gone (erased on request, or by the retention period)."
                : $"“{item.Name}” cannot be deleted for good: other records still refer to it. It stays in the recycle bin, off the site.");
            return false;
        }

        await audit.RecordAsync(ContentAuditActions.DeletedPermanently, item.ContentType, item.Key.ToString(), item.LatestVersionNumber,
            $"{item.Name} ({item.Slug}) deleted for good from the recycle bin", cancellationToken: cancellationToken);
        return true;
    }

    private async Task<bool> MayPurgeAsync() => (await authorization.AuthorizeAsync(User, BackofficePolicies.ContentPurge)).Succeeded;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        SetTitle("Recycle bin");
        TimeZone = BackofficeTimeZone.Of(HttpContext);
        CanPurge = await MayPurgeAsync();
        Items = await content.ListRecycleBinAsync(cancellationToken);
        ToDelete = CanPurge && DeleteKey is { } key ? Items.FirstOrDefault(item => item.Key == key) : null;
        ConfirmEmpty &= CanPurge && Items.Count > 0;
    }
}
