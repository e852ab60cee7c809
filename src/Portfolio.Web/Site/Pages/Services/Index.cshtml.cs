using Microsoft.AspNetCore.OutputCaching;
using Portfolio.Web.Content;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.Services;

/// <summary>The services at <c>/services</c>, in the editors' sort order.</summary>
[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class IndexModel : SitePageModel
{
    public const string ListingSlug = "services";

    public ListingPage Listing { get; private set; } = new();
    public IReadOnlyList<ServiceCard> Services { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        Listing = Published.Get<ListingPage>(ListingSlug) ?? new ListingPage { Title = "Services" };
        Services = [.. Published.List<Service>().Select(item => ServiceCard.From(item, headingLevel: 2))];
        Describe(Listing.Title, Listing.MetaDescription, "/services");
    }
}
