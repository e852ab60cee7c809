using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

namespace Portfolio.Web.Areas.Backoffice.Pages.Redirects;

/// <summary>
/// Every 301 the site answers: the automatic ones (a published slug changed) and hand-made ones, which editors add
/// and delete here. A redirect changes the public site at once, like publishing does, so it needs the Publish capability.
/// </summary>
[Authorize(Policy = BackofficePolicies.ContentPublish)]
public sealed class IndexModel(RedirectService redirects, AuditLog audit) : BackofficePageModel
{
    public IReadOnlyList<RedirectInfo> Redirects { get; private set; } = [];

    public BackofficeTimeZone TimeZone { get; private set; } = BackofficeTimeZone.Utc;

    [BindProperty]
    public string FromPath { get; set; } = "";

    [BindProperty]
    public string ToPath { get; set; } = "";

    /// <summary>Set by a "Delete" link: the redirect whose deletion is being confirmed.</summary>
    [BindProperty(SupportsGet = true, Name = "delete")]
    public long? DeleteId { get; set; }

    public RedirectInfo? ToDelete { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    /// <summary>The from-path of the redirect the status message is about.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Path { get; set; }

    public string? StatusMessage => Status switch
    {
        "added" => $"{Path} now redirects permanently (301).",
        "deleted" => $"{Path} no longer redirects.",
        "gone" => "That redirect had already been deleted.",
        _ => null,
    };

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        try
        {
            var added = await redirects.AddAsync(FromPath, ToPath, cancellationToken);
            await audit.RecordAsync(AuditActions.RedirectAdded, AuditEntityTypes.Redirect, added.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                details: $"{added.FromPath} → {added.ToPath}", cancellationToken: cancellationToken);
            return RedirectToPage(new { status = "added", path = added.FromPath });
        }
        catch (RedirectRefusedException refused)
        {
            ModelState.AddModelError(refused.Field, refused.Message);
        }

        DeleteId = null;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        if (DeleteId is not { } id)
        {
            return BadRequest();
        }

        var deleted = await redirects.DeleteAsync(id, cancellationToken);
        if (deleted is null)
        {
            return RedirectToPage(new { status = "gone" });
        }

        await audit.RecordAsync(AuditActions.RedirectDeleted, AuditEntityTypes.Redirect, deleted.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            details: $"{deleted.FromPath} → {deleted.ToPath}{(deleted.IsAutomatic ? " (automatic)" : "")}", cancellationToken: cancellationToken);
        return RedirectToPage(new { status = "deleted", path = deleted.FromPath });
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        SetTitle("Redirects");
        TimeZone = BackofficeTimeZone.Of(HttpContext);
        Redirects = await redirects.ListAsync(cancellationToken);
        ToDelete = DeleteId is { } id ? Redirects.FirstOrDefault(redirect => redirect.Id == id) : null;
    }
}
