using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

using Portfolio.Web.Content.Editing;
namespace Portfolio.Web.Areas.Backoffice.Pages.Content;

/// <summary>
/// <c>/umbraco/content/{key}/preview</c>: the latest saved draft in the real public page template, with a
/// "Preview — not published" banner. Never indexed (<c>X-Robots-Tag</c> from the backoffice filter, meta robots
/// from the public layout) and never cached (<c>no-store</c>; the output cache only serves public pages).
/// </summary>
[Authorize(Policy = BackofficePolicies.ContentEdit)]
public sealed class PreviewModel(ContentService content, ContentPreviewRenderer renderer) : BackofficePageModel
{
    public async Task<IActionResult> OnGetAsync(Guid key, CancellationToken cancellationToken)
    {
        if (await content.GetDraftAsync(key, cancellationToken) is not { } draft)
        {
            return NotFound();
        }

        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        Response.Headers.CacheControl = "no-store";
        if (!await renderer.RenderAsync(HttpContext, draft, $"/umbraco/content/{key}", cancellationToken))
        {
            SetTitle($"No preview for {draft.Document.DisplayName}");
            return Page();
        }

        // The public page has written the response.
        return new EmptyResult();
    }
}
