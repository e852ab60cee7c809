using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Portfolio.Web.Content;
using Portfolio.Web.Site;

namespace Portfolio.Web.Content.Editing;

/// <summary>
/// Renders a draft in the real public page template: the published site with the draft swapped in is handed to
/// the public page (through <see cref="SitePreview"/>), and that page is invoked in the current request, as routing
/// would invoke it for its public URL. The public page's own code and view run unchanged; nothing is cached.
/// </summary>
public sealed class ContentPreviewRenderer(
    PublishedContentCache cache,
    PageLoader pageLoader,
    IActionDescriptorCollectionProvider actions,
    IActionInvokerFactory invokers,
    TimeProvider clock)
{
    /// <summary>The public page (under <c>Site/Pages</c>) that shows an item, with its route values; null when it has no page.</summary>
    public static (string Page, RouteValueDictionary Values)? TargetOf(string contentType, string slug) => contentType switch
    {
        "expertProfile" => ("/Team/Profile", new RouteValueDictionary { ["slug"] = slug }),
        "service" => ("/Services/Detail", new RouteValueDictionary { ["slug"] = slug }),
        "article" => ("/Articles/Detail", new RouteValueDictionary { ["slug"] = slug }),
        "homePage" or "siteSettings" => ("/Index", []),
        "engineeringPage" => ("/Engineering", []),
        "contactPage" => ("/Contact/Index", []),
        "page" => ("/ContentPage", new RouteValueDictionary { ["path"] = slug }),
        "caseStudy" => ("/CaseStudies/Detail", new RouteValueDictionary { ["slug"] = slug }),
        "listingPage" when slug is "case-studies" => ("/CaseStudies/Index", []),
        "listingPage" when slug is "team" or "services" or "articles" =>
            ($"/{char.ToUpperInvariant(slug[0])}{slug[1..]}/Index", []),
        _ => null,
    };

    /// <summary>Writes the preview to the response; false when the item has no public page to preview it in.</summary>
    public async Task<bool> RenderAsync(HttpContext context, ContentDraft draft, string editorUrl, CancellationToken cancellationToken)
    {
        if (TargetOf(draft.ContentType, draft.Slug) is not var (page, values))
        {
            return false;
        }

        var descriptor = actions.ActionDescriptors.Items.OfType<PageActionDescriptor>()
            .SingleOrDefault(action => action.AreaName is null && action.ViewEnginePath == page);
        if (descriptor is null)
        {
            return false;
        }

        var published = await cache.GetAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var draftAsPublished = new PublishedContent(draft.Key, draft.ContentType, draft.Slug, draft.SortOrder,
            draft.LatestVersionNumber, now, draft.UpdatedUtc, draft.Document);
        var items = published.All
            .Where(item => item.Key != draft.Key && !(item.ContentType == draft.ContentType && item.Slug == draft.Slug))
            .Append(draftAsPublished);
        SitePreview.Set(context, new SitePreview(new PublishedSnapshot(items, published.Redirects), editorUrl));

        var compiled = await pageLoader.LoadAsync(descriptor, EndpointMetadataCollection.Empty);
        var routeData = new RouteData(values);
        routeData.Values["page"] = page;
        var invoker = invokers.CreateInvoker(new ActionContext(context, routeData, compiled))
                      ?? throw new InvalidOperationException($"No invoker for the page {page}.");
        await invoker.InvokeAsync();
        return true;
    }
}
