using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Media;

namespace Portfolio.Web.Areas.Backoffice.Pages.Media;

/// <summary>
/// The media library at <c>/umbraco/media</c>: upload an image, describe it (alt text), delete it.
/// Uploading and alt text need <see cref="BackofficePolicies.MediaEdit"/> (the page's policy); deleting also needs
/// <see cref="BackofficePolicies.MediaDelete"/>, checked in its handler, so Writers see everything but the delete form.
/// </summary>
[Authorize(Policy = BackofficePolicies.MediaEdit)]
[MediaUploadLimits]
public sealed class IndexModel(MediaLibrary library, IAuthorizationService authorization) : BackofficePageModel
{
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["uploaded"] = "The image has been uploaded.",
        ["uploaded-needs-alt"] = "The image has been uploaded. Describe it (alt text) before it can be used on a page.",
        ["alt-saved"] = "The alt text has been saved.",
        ["deleted"] = "The image has been deleted.",
        ["focus-saved"] = "The focal point has been saved; the crops now keep it in view.",
    };

    public const string UploadField = nameof(Upload);
    public const string UploadAltTextField = nameof(UploadAltText);

    /// <summary>The file of the upload form.</summary>
    [BindProperty]
    public IFormFile? Upload { get; set; }

    /// <summary>The alt text given with an upload (optional there: the item is then marked "needs alt text").</summary>
    [BindProperty]
    public string? UploadAltText { get; set; }

    /// <summary>The alt text of an item's own form.</summary>
    [BindProperty]
    public string? AltText { get; set; }

    [BindProperty]
    public bool ConfirmDelete { get; set; }

    /// <summary>The focal point's fields, in percent (0–100).</summary>
    [BindProperty]
    public int? FocalX { get; set; }

    [BindProperty]
    public int? FocalY { get; set; }

    /// <summary>The width the focal point's preview is drawn at; a click on it posts <c>Focus.x</c>/<c>Focus.y</c> in these pixels.</summary>
    public const int FocusPreviewWidth = 240;

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Problem { get; set; }

    public string? StatusMessage => Status is not null && Messages.TryGetValue(Status, out var message) ? message : null;

    public IReadOnlyList<MediaItem> Items { get; private set; } = [];

    public IReadOnlyDictionary<string, IReadOnlyList<MediaUsage>> Usages { get; private set; } = new Dictionary<string, IReadOnlyList<MediaUsage>>();

    public bool CanDelete { get; private set; }

    public string MaxUploadText => MediaText.Size(library.MaxUploadBytes);

    public long MaxUploadBytes => library.MaxUploadBytes;

    /// <summary>The item whose form was posted and refused, so its errors show beside it.</summary>
    public Guid? ItemWithErrors { get; private set; }

    public IReadOnlyList<MediaUsage> UsagesOf(MediaItem item) => Usages.TryGetValue(item.StoredName, out var usages) ? usages : [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Problem == "too-large")
        {
            ModelState.AddModelError(UploadField, MediaLibrary.TooLargeMessage(library.MaxUploadBytes));
        }

        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostUploadAsync(CancellationToken cancellationToken)
    {
        // A form the server could not read (over the size limit) leaves an error without a field: say it on the file field.
        if (ModelState.TryGetValue("", out var formErrors) && formErrors.Errors.Count > 0)
        {
            ModelState.Remove("");
            ModelState.AddModelError(UploadField, MediaLibrary.TooLargeMessage(library.MaxUploadBytes));
            return await PageAsync(cancellationToken);
        }

        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(UploadField, Upload is null ? "Choose an image to upload." : "The file is empty.");
            return await PageAsync(cancellationToken);
        }

        if (Upload.Length > library.MaxUploadBytes)
        {
            ModelState.AddModelError(UploadField, MediaLibrary.TooLargeMessage(library.MaxUploadBytes));
            return await PageAsync(cancellationToken);
        }

        if ((UploadAltText?.Trim().Length ?? 0) > MediaItem.AltTextMaxLength)
        {
            ModelState.AddModelError(UploadAltTextField, $"Keep the alt text under {MediaItem.AltTextMaxLength} characters.");
            return await PageAsync(cancellationToken);
        }

        await using var content = Upload.OpenReadStream();
        var result = await library.UploadAsync(content, Upload.FileName, UploadAltText, User.DisplayName(), cancellationToken);
        if (result is MediaUploadResult.Refused refused)
        {
            ModelState.AddModelError(UploadField, refused.Problem);
            return await PageAsync(cancellationToken);
        }

        var item = ((MediaUploadResult.Stored)result).Item;
        return RedirectToList(item.NeedsAltText ? "uploaded-needs-alt" : "uploaded", item.Id);
    }

    public async Task<IActionResult> OnPostAltTextAsync(Guid id, CancellationToken cancellationToken)
    {
        if ((AltText?.Trim().Length ?? 0) > MediaItem.AltTextMaxLength)
        {
            ItemWithErrors = id;
            ModelState.AddModelError(AltTextKey(id), $"Keep the alt text under {MediaItem.AltTextMaxLength} characters.");
            return await PageAsync(cancellationToken);
        }

        return await library.UpdateAltTextAsync(id, AltText, cancellationToken) ? RedirectToList("alt-saved", id) : NotFound();
    }

    /// <summary>
    /// Sets the focal point: from a click on the preview (an <c>&lt;input type="image"&gt;</c>, which posts where it was
    /// clicked without JavaScript), else from the two number fields.
    /// </summary>
    public async Task<IActionResult> OnPostFocalPointAsync(Guid id, CancellationToken cancellationToken)
    {
        var item = await library.FindAsync(id, cancellationToken);
        if (item is null)
        {
            return NotFound();
        }

        int x, y;
        if (int.TryParse(Request.Form["Focus.x"], System.Globalization.CultureInfo.InvariantCulture, out var clickX)
            && int.TryParse(Request.Form["Focus.y"], System.Globalization.CultureInfo.InvariantCulture, out var clickY))
        {
            var previewHeight = FocusPreviewHeight(item);
            x = (int)Math.Round(100d * clickX / FocusPreviewWidth);
            y = (int)Math.Round(100d * clickY / previewHeight);
        }
        else if (FocalX is >= 0 and <= 100 && FocalY is >= 0 and <= 100)
        {
            (x, y) = (FocalX.Value, FocalY.Value);
        }
        else
        {
            ItemWithErrors = id;
            ModelState.AddModelError(FocusKey(id), "Give both numbers from 0 to 100: 0 is the left (top) edge, 100 the right (bottom) edge.");
            return await PageAsync(cancellationToken);
        }

        await library.SetFocalPointAsync(id, x, y, cancellationToken);
        return RedirectToList("focus-saved", id);
    }

    public static int FocusPreviewHeight(MediaItem item) =>
        Math.Max(1, (int)Math.Round((double)FocusPreviewWidth * (item.Height ?? 1) / (item.Width ?? 1)));

    public static string FocusKey(Guid id) => $"focus-{id:N}";

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, BackofficePolicies.MediaDelete)).Succeeded)
        {
            return Forbid();
        }

        if (!ConfirmDelete)
        {
            ItemWithErrors = id;
            ModelState.AddModelError(DeleteKey(id), "Tick the box to confirm that this image should be deleted.");
            return await PageAsync(cancellationToken);
        }

        switch (await library.DeleteAsync(id, cancellationToken))
        {
            case MediaDeleteResult.NotFound:
                return NotFound();
            case MediaDeleteResult.InUse inUse:
                ItemWithErrors = id;
                ModelState.AddModelError(DeleteKey(id),
                    $"This image is still shown by {string.Join(", ", inUse.Usages.Select(usage => usage.ContentName))}. Choose another image there first.");
                return await PageAsync(cancellationToken);
            default:
                return LocalRedirect("/umbraco/media?status=deleted");
        }
    }

    public static string AltTextKey(Guid id) => $"AltText-{id:N}";

    public static string DeleteKey(Guid id) => $"Delete-{id:N}";

    private LocalRedirectResult RedirectToList(string status, Guid id) => LocalRedirect($"/umbraco/media?status={status}#media-{id:N}");

    private async Task<IActionResult> PageAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        SetTitle("Media");
        Items = await library.ListAsync(cancellationToken);
        Usages = await library.UsagesAsync(cancellationToken);
        CanDelete = (await authorization.AuthorizeAsync(User, BackofficePolicies.MediaDelete)).Succeeded;
    }
}
