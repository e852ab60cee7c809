using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

namespace Portfolio.Web.Areas.Backoffice.Pages.Content;

/// <summary>
/// An item's versions, newest first; any version compared field by field with the current draft; and a rollback
/// to any version (published or never published), which saves that version's document as a new draft. Publishing
/// stays a separate step in the editor, so a Writer may roll back too.
/// </summary>
[Authorize(Policy = BackofficePolicies.ContentEdit)]
public sealed class HistoryModel(ContentService content, AuditLog audit) : BackofficePageModel
{
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["rolled-back"] = "The old version is now the current draft. The public site has not changed: publish the draft to make it live.",
    };

    public ContentDraft Item { get; private set; } = null!;

    public IReadOnlyList<ContentVersionInfo> Versions { get; private set; } = [];

    /// <summary>The version being compared with the current draft, if one was chosen.</summary>
    public ContentVersionInfo? Selected { get; private set; }

    /// <summary>Fields that differ between <see cref="Selected"/> (Before) and the current draft (After).</summary>
    public IReadOnlyList<FieldChange> Changes { get; private set; } = [];

    public BackofficeTimeZone TimeZone { get; private set; } = BackofficeTimeZone.Utc;

    [BindProperty(SupportsGet = true)]
    public int? Version { get; set; }

    /// <summary>Set by the "Roll back to this version" link: show the confirmation instead of the button.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Confirm { get; set; }

    /// <summary>The item's revision when the confirmation was shown: a change since then is reported, not overwritten.</summary>
    [BindProperty]
    public int Revision { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    /// <summary>The draft version a rollback made (after the redirect).</summary>
    [BindProperty(SupportsGet = true)]
    public int? Restored { get; set; }

    public string? StatusMessage => Status is not null && Messages.TryGetValue(Status, out var message) ? message : null;

    public async Task<IActionResult> OnGetAsync(Guid key, CancellationToken cancellationToken) =>
        await LoadAsync(key, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRollbackAsync(Guid key, CancellationToken cancellationToken)
    {
        if (Version is not { } number)
        {
            return BadRequest();
        }

        try
        {
            var draft = await content.RollbackAsync(key, number, User.DisplayName(), Revision, cancellationToken);
            await audit.RecordAsync(AuditActions.ContentRolledBack, AuditEntityTypes.Content, key.ToString(), draft.LatestVersionNumber,
                $"Rolled back to version {number}: {draft.Document.DisplayName}", cancellationToken: cancellationToken);
            return RedirectToPage(new { key, status = "rolled-back", restored = draft.LatestVersionNumber, version = (int?)null });
        }
        catch (ContentNotFoundException)
        {
            return NotFound();
        }
        catch (ContentConcurrencyException)
        {
            ModelState.AddModelError("", "Someone changed this item since you opened this page. Check the comparison below again, then roll back if you still want to.");
        }
        catch (SlugConflictException exception)
        {
            ModelState.AddModelError("", $"{exception.Message} Change the other item's slug first, or roll back in the editor with a new slug.");
        }
        catch (DocumentValidationException exception)
        {
            // An old version may break a rule added since; say which, instead of failing.
            foreach (var (field, errors) in exception.Errors)
            {
                foreach (var error in errors)
                {
                    ModelState.AddModelError("", field.Length == 0 ? error : $"{field}: {error}");
                }
            }
        }

        Confirm = false;
        return await LoadAsync(key, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid key, CancellationToken cancellationToken)
    {
        TimeZone = BackofficeTimeZone.Of(HttpContext);
        if (await content.GetDraftAsync(key, cancellationToken) is not { } item)
        {
            return false;
        }

        Item = item;
        // A rollback form posts the revision it was shown; a fresh page shows the current one.
        Revision = item.Revision;
        Versions = await content.GetHistoryAsync(key, cancellationToken);
        SetTitle($"History of {item.Document.DisplayName}");

        Selected = Version is { } number ? Versions.FirstOrDefault(version => version.Number == number) : null;
        if (Selected is not null && Selected.Number != item.LatestVersionNumber)
        {
            var old = await content.GetVersionDocumentAsync(key, Selected.Number, cancellationToken);
            Changes = DocumentDiff.Compare(old, item.Document);
        }

        Confirm = Confirm && Selected is not null && Selected.Number != item.LatestVersionNumber;
        return true;
    }

    /// <summary>"Published", "Current draft" or both, or "Earlier version".</summary>
    public IEnumerable<string> StatesOf(ContentVersionInfo version)
    {
        if (version.IsPublished)
        {
            yield return "Published";
        }

        if (version.Number == Item.LatestVersionNumber)
        {
            yield return "Current draft";
        }
        else if (!version.IsPublished)
        {
            yield return "Earlier version";
        }
    }
}
