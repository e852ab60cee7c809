using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

namespace Portfolio.Web.Areas.Backoffice.Pages.Scheduled;

/// <summary>
/// One pending scheduled change: an item is published or unpublished at a time. A publish publishes
/// <see cref="Version"/>; <see cref="LatestVersion"/> above it is a draft saved since, which the schedule leaves a draft.
/// </summary>
public sealed record ScheduledChange(Guid Key, string Name, string ContentType, bool IsPublish, DateTime AtUtc, int Revision,
    int? Version = null, int LatestVersion = 0)
{
    public bool HasNewerDraft => IsPublish && Version is { } version && version < LatestVersion;
}

/// <summary>
/// Everything the scheduler will publish or unpublish, soonest first, with a "cancel" for each. Setting and cancelling
/// a schedule decides when the public site changes, so it needs the Publish capability.
/// </summary>
[Authorize(Policy = BackofficePolicies.ContentPublish)]
public sealed class IndexModel(ContentService content, AuditLog audit) : BackofficePageModel
{
    public const string Publish = "publish";
    public const string Unpublish = "unpublish";

    public IReadOnlyList<ScheduledChange> Changes { get; private set; } = [];

    public BackofficeTimeZone TimeZone { get; private set; } = BackofficeTimeZone.Utc;

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Name { get; set; }

    public string? StatusMessage => Status switch
    {
        "cancelled" => $"The schedule of {Name} was cancelled.",
        "changed" => "That item was changed in the meantime; here is the schedule as it is now.",
        "gone" => "That item no longer exists.",
        _ => null,
    };

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        SetTitle("Scheduled");
        TimeZone = BackofficeTimeZone.Of(HttpContext);
        var items = await content.ScheduledAsync(cancellationToken);
        Changes = items
            .SelectMany(item => new[]
            {
                item.PublishAtUtc is { } publishAt ? new ScheduledChange(item.Id, item.Name, item.ContentType, true, publishAt, item.Revision,
                    item.ScheduledVersionNumber, item.LatestVersionNumber) : null,
                item.UnpublishAtUtc is { } unpublishAt ? new ScheduledChange(item.Id, item.Name, item.ContentType, false, unpublishAt, item.Revision) : null,
            })
            .OfType<ScheduledChange>()
            .OrderBy(change => change.AtUtc).ThenBy(change => change.Name, StringComparer.CurrentCulture)
            .ToList();
    }

    /// <summary>Cancels one of an item's scheduled changes (publish or unpublish) and keeps the other.</summary>
    public async Task<IActionResult> OnPostCancelAsync(Guid key, string kind, int revision, CancellationToken cancellationToken)
    {
        if (kind is not (Publish or Unpublish))
        {
            return BadRequest();
        }

        if (await content.GetDraftAsync(key, cancellationToken) is not { } item)
        {
            return RedirectToPage(new { status = "gone" });
        }

        try
        {
            var publishAt = kind == Publish ? null : item.PublishAtUtc;
            var unpublishAt = kind == Unpublish ? null : item.UnpublishAtUtc;
            // A kept publish keeps its version.
            await content.ScheduleAsync(key, publishAt, unpublishAt, revision, item.ScheduledVersionNumber, cancellationToken);
        }
        catch (ContentConcurrencyException)
        {
            return RedirectToPage(new { status = "changed" });
        }
        catch (ContentNotFoundException)
        {
            return RedirectToPage(new { status = "gone" });
        }

        var cancelled = kind == Publish ? item.PublishAtUtc : item.UnpublishAtUtc;
        await audit.RecordAsync(AuditActions.ScheduleCancelled, AuditEntityTypes.Content, key.ToString(),
            kind == Publish ? item.ScheduledVersionNumber ?? item.LatestVersionNumber : item.LatestVersionNumber,
            $"Cancelled the scheduled {kind}" + (cancelled is { } at ? $" at {BackofficeTimeZone.MachineReadable(at)}" : ""), cancellationToken: cancellationToken);
        return RedirectToPage(new { status = "cancelled", name = item.Document.DisplayName });
    }
}
