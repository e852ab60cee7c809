using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Portfolio.Web.Content;

namespace Portfolio.Web.Site.Pages;

/// <summary>
/// A page built from blocks (<see cref="ContentPage"/>) at the path its editor chose. The route is a catch-all, which
/// routing tries after every other route, so the app's own pages always win; paths that would be shadowed are refused
/// when the page is saved (<see cref="PagePaths"/>). 404 when no published page has the path.
/// </summary>
[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class ContentPageModel : SitePageModel
{
    public ContentPage Document { get; private set; } = new();

    public string Path { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string path, CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        var slug = path.Trim('/');
        if (Published.Find<ContentPage>(slug) is { Document: ContentPage page } item)
        {
            Document = page;
            Path = item.Url ?? "/" + slug;
            Describe(page.Title, string.IsNullOrWhiteSpace(page.MetaDescription) ? page.Intro : page.MetaDescription, Path);
            return Page();
        }

        // Route regexes ignore case while paths are lower-case: /About goes to /about rather than being answered twice.
        return slug != slug.ToLowerInvariant() && Published.Find<ContentPage>(slug.ToLowerInvariant()) is { Url: { } url }
            ? RedirectPermanent(url)
            : NotFound();
    }

    public IActionResult OnPost() => NotFound();
}
