using Microsoft.AspNetCore.OutputCaching;
using Portfolio.Web.Content;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.CaseStudies;

/// <summary>The case studies at <c>/case-studies</c>, in the editors' sort order; heading and intro from the listing page.</summary>
[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class IndexModel : SitePageModel
{
    public const string ListingSlug = "case-studies";

    public ListingPage Listing { get; private set; } = new();
    public IReadOnlyList<CaseStudyCard> CaseStudies { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        Listing = Published.Get<ListingPage>(ListingSlug) ?? new ListingPage { Title = "Case studies" };
        CaseStudies = [.. Published.List<CaseStudy>().Select(item => CaseStudyCard.From(item, headingLevel: 2))];
        Describe(Listing.Title, Listing.MetaDescription, "/case-studies");
    }
}
