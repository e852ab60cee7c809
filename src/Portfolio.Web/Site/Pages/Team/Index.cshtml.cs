using Microsoft.AspNetCore.OutputCaching;
using Portfolio.Web.Content;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.Team;

/// <summary>The roster at <c>/team</c>: every published expert, in the editors' sort order.</summary>
[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class IndexModel : SitePageModel
{
    public const string ListingSlug = "team";

    public ListingPage Listing { get; private set; } = new();
    public IReadOnlyList<ExpertCard> Experts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        Listing = Published.Get<ListingPage>(ListingSlug) ?? new ListingPage { Title = "Our team" };
        Experts = [.. Published.List<ExpertProfile>().Select(item => ExpertCard.From(item, headingLevel: 2))];
        Describe(Listing.Title, Listing.MetaDescription, "/team");
    }
}
