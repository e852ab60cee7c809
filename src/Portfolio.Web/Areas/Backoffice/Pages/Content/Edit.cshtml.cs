using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

using Portfolio.Web.Content.Editing;
namespace Portfolio.Web.Areas.Backoffice.Pages.Content;

/// <summary>
/// The editor of one item at <c>/umbraco/content/{key}</c>: every property of its document type, save draft,
/// save and publish, unpublish, schedule, preview. Writers save drafts; publishing needs the Publish capability,
/// checked here on every publishing handler (a page has one policy; its handlers can ask for more).
/// The form carries the revision it was opened at: a save over someone else's newer save is refused and the
/// posted values stay in the form.
/// </summary>
[Authorize(Policy = BackofficePolicies.ContentEdit)]
public sealed class EditModel(ContentService content, AuditLog audit, MarkdownRenderer markdown, TimeProvider clock)
    : ContentEditorPageModel(markdown)
{
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["saved"] = "The draft is saved. The public site still shows the published version.",
        ["created"] = "The item is created as a draft. Publish it to show it on the site.",
        ["published"] = "Published: the public site shows this version now.",
        ["unpublished"] = "Unpublished: the public site no longer shows this item.",
        ["scheduled"] = "The schedule is saved.",
        ["unscheduled"] = "The schedule is cleared.",
        ["restored"] = "Restored from the recycle bin as an unpublished draft, with its versions and redirects. Publish it when it is ready.",
    };

    /// <summary>The item as stored now (the form may hold newer, unsaved values).</summary>
    public ContentDraft Draft { get; private set; } = null!;

    /// <summary>The revision the form was opened at.</summary>
    [BindProperty]
    public int Revision { get; set; }

    /// <summary>
    /// The content version the form was opened at. The revision also moves when nobody touched the content (a
    /// reorder, a schedule, a publish); only a newer saved version is a real conflict with what the user typed.
    /// </summary>
    [BindProperty]
    public int OpenedVersion { get; set; }

    /// <summary>Set by "Save mine anyway" after a conflict: the newer revision the user has now seen and overrides.</summary>
    [BindProperty]
    public int? OverwriteRevision { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    /// <summary>A time zone chosen in the schedule form or the URL (IANA); else the backoffice's remembered one.</summary>
    [BindProperty(SupportsGet = true, Name = BackofficeTimeZone.QueryName)]
    public string? TimeZone { get; set; }

    [BindProperty]
    public string? PublishAt { get; set; }

    [BindProperty]
    public string? UnpublishAt { get; set; }

    public string? StatusMessage => Status is not null && Messages.TryGetValue(Status, out var message) ? message : null;

    public bool CanPublish { get; private set; }

    public bool CanDelete { get; private set; }

    /// <summary>Set when a save was refused because someone saved since the form was opened.</summary>
    public ContentConcurrencyException? Conflict { get; private set; }

    /// <summary>After a refused unpublish or schedule the page shows the stored item (there were no typed values to keep).</summary>
    public bool ConflictShowsCurrentVersion { get; private set; }

    /// <summary>The zone schedules are typed and shown in: the one every backoffice page uses (<see cref="BackofficeTimeZone"/>).</summary>
    public BackofficeTimeZone EditorZone => editorZone ??= BackofficeTimeZone.Of(HttpContext, TimeZone);

    private BackofficeTimeZone? editorZone;

    public TimeZoneInfo Zone => EditorZone.Zone;

    /// <summary>
    /// Shown in UTC for want of a zone: backoffice-time.js stores the browser's and reloads. Only on a GET, so a page
    /// re-shown after a refused POST keeps what was typed.
    /// </summary>
    public bool DetectZone => !EditorZone.IsKnown && HttpMethods.IsGet(Request.Method);

    /// <summary>Whether the zone came from the URL or the form (then the redirect after saving keeps it).</summary>
    public bool ZoneChosen => TimeZones.IsIana(TimeZone);

    public DateTime NowUtc => clock.GetUtcNow().UtcDateTime;

    public string EditorUrl => $"/umbraco/content/{Draft.Key}";

    public string? PublicUrl => Type.UrlFor(Draft.PublishedSlug ?? Draft.Slug);

    public async Task<IActionResult> OnGetAsync(Guid key, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(key, cancellationToken))
        {
            return NotFound();
        }

        Document = Draft.Document;
        Slug = Draft.Slug;
        Revision = Draft.Revision;
        OpenedVersion = Draft.LatestVersionNumber;
        PublishAt = ScheduleTimes.ToInput(Draft.PublishAtUtc, Zone);
        UnpublishAt = ScheduleTimes.ToInput(Draft.UnpublishAtUtc, Zone);
        return Page();
    }

    /// <summary>"Save draft", also what Enter in a field does (it is the form's first button).</summary>
    public async Task<IActionResult> OnPostAsync(Guid key, CancellationToken cancellationToken)
    {
        if (!await LoadPostedAsync(key, cancellationToken))
        {
            return NotFound();
        }

        var saved = await SaveAsync(cancellationToken);
        return saved is null ? Page() : Redirect(saved, "saved");
    }

    /// <summary>"Save and preview": saves the draft, then shows it in the public page template.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(Guid key, CancellationToken cancellationToken)
    {
        if (!await LoadPostedAsync(key, cancellationToken))
        {
            return NotFound();
        }

        var saved = await SaveAsync(cancellationToken);
        return saved is null ? Page() : LocalRedirect($"/umbraco/content/{key}/preview");
    }

    /// <summary>The list and Markdown-preview buttons: the posted form comes back changed, nothing is saved.</summary>
    public async Task<IActionResult> OnPostCommandAsync(Guid key, CancellationToken cancellationToken)
    {
        if (!await LoadPostedAsync(key, cancellationToken))
        {
            return NotFound();
        }

        ApplyCommand();
        return Page();
    }

    /// <summary>"Save and publish": saves the form when it differs from the stored draft, then publishes the draft.</summary>
    public async Task<IActionResult> OnPostPublishAsync(Guid key, CancellationToken cancellationToken)
    {
        if (!await MayAsync(BackofficePolicies.ContentPublish))
        {
            return Forbid();
        }

        if (!await LoadPostedAsync(key, cancellationToken))
        {
            return NotFound();
        }

        var saved = await SaveAsync(cancellationToken);
        if (saved is null)
        {
            return Page();
        }

        try
        {
            var published = await content.PublishAsync(key, Author, expectedRevision: saved.Revision, cancellationToken: cancellationToken);
            await audit.RecordAsync(ContentAuditActions.Published, published.ContentType, key.ToString(), published.PublishedVersionNumber,
                $"{published.Document.DisplayName} at {Type.UrlFor(published.Slug) ?? "(no page of its own)"}", cancellationToken: cancellationToken);
            return Redirect(published, "published");
        }
        catch (ContentConcurrencyException conflict)
        {
            return ShowConflict(conflict);
        }
    }

    public async Task<IActionResult> OnPostUnpublishAsync(Guid key, CancellationToken cancellationToken)
    {
        if (!await MayAsync(BackofficePolicies.ContentPublish))
        {
            return Forbid();
        }

        if (!await LoadAsync(key, cancellationToken))
        {
            return NotFound();
        }

        try
        {
            await content.UnpublishAsync(key, Author, Revision, cancellationToken);
            await audit.RecordAsync(ContentAuditActions.Unpublished, Draft.ContentType, key.ToString(), Draft.PublishedVersionNumber,
                Draft.Document.DisplayName, cancellationToken: cancellationToken);
            return Redirect(Draft, "unpublished");
        }
        catch (ContentConcurrencyException conflict)
        {
            return ShowStoredWith(conflict);
        }
    }

    /// <summary>Sets or clears the publish and unpublish times, entered in the chosen time zone.</summary>
    public async Task<IActionResult> OnPostScheduleAsync(Guid key, CancellationToken cancellationToken)
    {
        if (!await MayAsync(BackofficePolicies.ContentPublish))
        {
            return Forbid();
        }

        if (!await LoadAsync(key, cancellationToken))
        {
            return NotFound();
        }

        var zone = Zone;
        var publishOk = ScheduleTimes.TryToUtc(PublishAt, zone, out var publishAtUtc, out var publishError);
        var unpublishOk = ScheduleTimes.TryToUtc(UnpublishAt, zone, out var unpublishAtUtc, out var unpublishError);
        if (publishOk && publishAtUtc <= NowUtc)
        {
            (publishOk, publishError) = (false, "Choose a time in the future, or publish now.");
        }

        if (unpublishOk && unpublishAtUtc <= NowUtc)
        {
            (unpublishOk, unpublishError) = (false, "Choose a time in the future, or unpublish now.");
        }

        if (!publishOk || !unpublishOk)
        {
            AddScheduleError(nameof(PublishAt), publishError);
            AddScheduleError(nameof(UnpublishAt), unpublishError);
            return ShowStored();
        }

        try
        {
            // The version this page shows (the revision check makes sure nobody saved a newer one meanwhile).
            await content.ScheduleAsync(key, publishAtUtc, unpublishAtUtc, Revision, Draft.LatestVersionNumber, cancellationToken);
            var details = $"publish {(publishAtUtc is { } p ? Iso(p) : "none")}, unpublish {(unpublishAtUtc is { } u ? Iso(u) : "none")} (entered in {zone.Id})";
            await audit.RecordAsync(ContentAuditActions.Scheduled, Draft.ContentType, key.ToString(), Draft.LatestVersionNumber, details,
                cancellationToken: cancellationToken);
            return Redirect(Draft, publishAtUtc is null && unpublishAtUtc is null ? "unscheduled" : "scheduled");
        }
        catch (DocumentValidationException invalid)
        {
            foreach (var (field, messages) in invalid.Errors)
            {
                AddScheduleError(field == "UnpublishAt" ? nameof(UnpublishAt) : nameof(PublishAt), string.Join(" ", messages));
            }

            return ShowStored();
        }
        catch (ContentConcurrencyException conflict)
        {
            return ShowStoredWith(conflict);
        }
    }

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private void AddScheduleError(string field, string? error)
    {
        if (error is not null)
        {
            ModelState.AddModelError(field, error);
        }
    }

    /// <summary>Saves the posted form as a new draft when it differs from the stored one; null (and the form shown again) when refused.</summary>
    private async Task<ContentDraft?> SaveAsync(CancellationToken cancellationToken)
    {
        if (!IsValid())
        {
            return null;
        }

        // A form equal to what is stored saves nothing (no empty versions), whoever saved it last.
        if (Slug == Draft.Slug && DocumentTypeRegistry.Serialize(Document) == DocumentTypeRegistry.Serialize(Draft.Document))
        {
            return Draft;
        }

        var expected = OverwriteRevision ?? Revision;
        if (OverwriteRevision is null && expected != Draft.Revision && OpenedVersion == Draft.LatestVersionNumber)
        {
            // Only the item's state moved (order, schedule, publication), not its content: nothing to overwrite.
            expected = Draft.Revision;
        }

        try
        {
            var saved = await content.SaveDraftAsync(Draft.Key, Document, PostedSlug, Author, expected, cancellationToken);
            var details = OverwriteRevision is null ? saved.Document.DisplayName : $"{saved.Document.DisplayName} (saved over a newer save by someone else)";
            await audit.RecordAsync(ContentAuditActions.DraftSaved, saved.ContentType, saved.Key.ToString(), saved.LatestVersionNumber,
                details, cancellationToken: cancellationToken);
            return saved;
        }
        catch (ContentConcurrencyException conflict)
        {
            ShowConflict(conflict);
            return null;
        }
        catch (ContentException refused) when (Explain(refused))
        {
            return null;
        }
    }

    /// <summary>Someone saved since the form was opened: say so, keep every posted value, offer their version and an overwrite.</summary>
    private PageResult ShowConflict(ContentConcurrencyException conflict)
    {
        Conflict = conflict;
        HasUnsavedChanges = true;
        return Page();
    }

    /// <summary>A refused unpublish or schedule: nothing typed is at stake, so the page shows the item as it is now.</summary>
    private PageResult ShowStoredWith(ContentConcurrencyException conflict)
    {
        ShowStored();
        Conflict = conflict;
        ConflictShowsCurrentVersion = true;
        return Page();
    }

    /// <summary>After a refused schedule or unpublish (separate small forms): the editor with the stored document.</summary>
    private PageResult ShowStored()
    {
        Document = Draft.Document;
        Slug = Draft.Slug;
        Revision = Draft.Revision;
        OpenedVersion = Draft.LatestVersionNumber;
        return Page();
    }

    private LocalRedirectResult Redirect(ContentDraft item, string status) =>
        LocalRedirect($"/umbraco/content/{item.Key}?status={status}" + (ZoneChosen ? $"&tz={Uri.EscapeDataString(Zone.Id)}" : ""));

    private async Task<bool> LoadPostedAsync(Guid key, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(key, cancellationToken))
        {
            return false;
        }

        ReadPostedDocument();
        return true;
    }

    private async Task<bool> LoadAsync(Guid key, CancellationToken cancellationToken)
    {
        if (await content.GetDraftAsync(key, cancellationToken) is not { } draft)
        {
            return false;
        }

        Draft = draft;
        Type = DocumentTypeRegistry.Get(draft.ContentType);
        CanPublish = await MayAsync(BackofficePolicies.ContentPublish);
        CanDelete = await MayAsync(BackofficePolicies.ContentDelete);
        State.CommandAction = Url.Page("/Content/Edit", "Command", new { area = BackofficeRoutes.Area, key }) ?? "";
        SetTitle($"{draft.Document.DisplayName} · {BackofficeText.Humanize(draft.ContentType)}");
        return true;
    }
}
