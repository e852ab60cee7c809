using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Portfolio.Web.Content;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.Services;

/// <summary>One service at <c>/services/{slug}</c>; 404 when no published service has the slug.</summary>
[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class DetailModel(MarkdownRenderer markdown) : SitePageModel
{
    public Service Service { get; private set; } = new();
    public string ServiceUrl { get; private set; } = "";
    public HtmlString Body { get; private set; } = HtmlString.Empty;
    /// <summary>Whether an expert offers the service and takes bookings: then the page links to <c>/services/{slug}/book</c>.</summary>
    public bool Bookable { get; private set; }

    /// <summary>The published case studies that used this service.</summary>
    public IReadOnlyList<CaseStudyCard> CaseStudies { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        var lookup = SlugLookup.Resolve<Service>(Published, slug);
        if (lookup is SlugLookup.WrongCase wrongCase)
        {
            return RedirectPermanent(wrongCase.CanonicalUrl);
        }

        if (lookup is not SlugLookup.Found { Item: { Document: Service service } item })
        {
            return NotFound();
        }

        Service = service;
        ServiceUrl = item.Url ?? "/services/" + slug;
        Body = markdown.Render(service.Body);
        Bookable = Published.List<ExpertProfile>().Any(expert => expert.Document is ExpertProfile profile
            && profile.Services.Contains(item.Slug, StringComparer.Ordinal) && profile.Availability.Windows.Count > 0);
        CaseStudies = [.. CaseStudyLinks.UsingService(Published, item.Slug).Select(found => CaseStudyCard.From(found, headingLevel: 3))];
        Describe(service.Title, string.IsNullOrWhiteSpace(service.MetaDescription) ? service.Summary : service.MetaDescription, ServiceUrl);
        return Page();
    }
}
